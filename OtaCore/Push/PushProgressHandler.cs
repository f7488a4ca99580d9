namespace OtaCore.Push
{
    /// <summary>Bytes of the pushed file received so far, of <paramref name="total"/>.</summary>
    public delegate void PushProgressHandler(PushReceiver sender, long bytes, long total);
}
