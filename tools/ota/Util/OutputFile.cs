using OtaCore;

namespace Ota.Tools.Util;

/// <summary>
/// File I/O with the CLI's guarantees: read errors are E902 IO; outputs are written to a
/// temporary file beside the target and renamed at the end, so a failure leaves no partial file.
/// </summary>
public static class OutputFile
{
    /// <summary>Reads a whole input file (E902 IO on failure).</summary>
    public static byte[] ReadAll(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OtaException(OtaError.Io, $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Reads a whole input text file (E902 IO on failure).</summary>
    public static string ReadText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OtaException(OtaError.Io, $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> atomically (temp file + rename).</summary>
    public static void WriteAtomic(string path, byte[] data) => WriteAtomic(path, s => s.Write(data, 0, data.Length));

    /// <summary>Writes through <paramref name="write"/> into a temp file, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        try
        {
            using (var s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                write(s);
                s.Flush(true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new OtaException(OtaError.Io, $"cannot write '{path}': {e.Message}");
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private static void TryDelete(string p)
    {
        try { File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
