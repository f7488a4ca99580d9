namespace DeviceApp.Flow
{
    /// <summary>Receives one human-readable line of the update flow (device: Debug.WriteLine; host: stderr).</summary>
    public delegate void FlowLogHandler(string line);
}
