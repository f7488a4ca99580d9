using OtaCore.Image;

namespace OtaCore.Download
{
    /// <summary>
    /// Decides whether a package whose header just arrived may be staged (version policy,
    /// manifest agreement). Throws <see cref="OtaException"/> to refuse; nothing has been written
    /// to flash at that point.
    /// </summary>
    public delegate void HeaderCheckHandler(ImageHeader header);
}
