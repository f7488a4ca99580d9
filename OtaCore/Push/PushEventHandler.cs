namespace OtaCore.Push
{
    /// <summary>
    /// A step of a push: the state reached, the error (Ok unless Failed or a refused datagram) and
    /// a human-readable detail.
    /// </summary>
    public delegate void PushEventHandler(PushReceiver sender, PushState state, OtaError error, string detail);
}
