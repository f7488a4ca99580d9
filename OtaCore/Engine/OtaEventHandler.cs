namespace OtaCore.Engine
{
    /// <summary>
    /// Receives engine events: the event, the error it carries (<see cref="OtaError.Ok"/> when
    /// none) and a one-line detail (may be empty).
    /// </summary>
    public delegate void OtaEventHandler(OtaEngine sender, OtaEvent ev, OtaError error, string detail);
}
