using System.IO;
using OtaCore.Platform;

namespace DeviceApp.Tests
{
    /// <summary>Reading a range response's body the way the downloader does: 4 KiB reads until 0.</summary>
    internal static class RangeResponses
    {
        public static byte[] ReadAll(IRangeResponse r)
        {
            var ms = new MemoryStream();
            var buf = new byte[4096];
            int n;
            while ((n = r.Read(buf, 0, buf.Length)) > 0) ms.Write(buf, 0, n);
            return ms.ToArray();
        }
    }
}
