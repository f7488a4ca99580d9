using System;
using System.IO;
using System.Text;
using OtaCore.Image;

namespace DeviceApp.Tests
{
    /// <summary>
    /// Writes minimal full images (docs/design.md section 3) for the server tests: a 64-byte header
    /// with the given version and upd_no, CRCs filled in, and a deterministic body.
    /// </summary>
    internal static class TestImage
    {
        public static byte[] Build(string version, uint updNo, int bodyLength, int seed)
        {
            var body = new byte[bodyLength];
            new Random(seed).NextBytes(body);
            var img = new byte[64 + bodyLength];
            Put(img, 0x00, 0xA0FFFF9F);
            Put(img, 0x04, 1);
            Put(img, 0x08, 0x20000);
            Put(img, 0x0C, (uint)bodyLength);
            Put(img, 0x10, 0x1E000);
            Put(img, 0x14, 0x1E0000);
            Put(img, 0x18, Crc32.Compute(body, 0, body.Length));
            Put(img, 0x1C, updNo);
            Encoding.ASCII.GetBytes(version).CopyTo(img, 0x20);
            Put(img, 0x3C, Crc32.Compute(img, 0, 60));
            body.CopyTo(img, 64);
            return img;
        }

        /// <summary>Writes <paramref name="length"/> bytes from Random(<paramref name="seed"/>) to <paramref name="path"/>; returns them.</summary>
        public static byte[] RandomFile(string path, int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            File.WriteAllBytes(path, data);
            return data;
        }

        public static string TempDir(string name)
        {
            string d = Path.Combine(Path.GetTempPath(), "ota-d2-" + name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(d);
            return d;
        }

        private static void Put(byte[] b, int at, uint v)
        {
            b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24);
        }
    }
}
