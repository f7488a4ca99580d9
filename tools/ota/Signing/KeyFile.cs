using OtaCore;

namespace Ota.Tools.Signing;

/// <summary>
/// Writes key files atomically (temp file + rename, like every CLI output). A private key is
/// created with mode 0600 from the start, and an existing key is never overwritten unless asked.
/// </summary>
public static class KeyFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>; <paramref name="secret"/> makes it owner-only.</summary>
    public static void Write(string path, string text, bool secret, bool overwrite)
    {
        string full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new OtaException(OtaError.Io, $"'{path}' exists; refusing to overwrite a key (use --force)");
        }
        string tmp = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        var opts = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) opts.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var s = new FileStream(tmp, opts))
            {
                byte[] b = System.Text.Encoding.ASCII.GetBytes(text);
                s.Write(b, 0, b.Length);
                s.Flush(true);
            }
            File.Move(tmp, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw new OtaException(OtaError.Io, $"cannot write '{path}': {e.Message}");
        }
    }
}
