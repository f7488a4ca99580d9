namespace DeviceApp.Flow
{
    /// <summary>Answers one status request: the JSON body (see <see cref="DeviceStatusService"/>).</summary>
    public delegate string StatusRequestHandler();
}
