using System;
using System.IO;
using Ota.Tools.Commands;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore.Config;

namespace DeviceApp.Tests
{
    /// <summary>
    /// Firmware, packages and fresh flash files for the end-to-end tests, made with the real CLI
    /// commands (sample-firmware, pack, flash-image) in-process.
    /// </summary>
    internal sealed class Fixture
    {
        public string Dir { get; }
        public string ServeDir => Path.Combine(Dir, "srv");
        public string V1Image => Path.Combine(Dir, "v1.img");
        public string V2Image => Path.Combine(Dir, "v2.img");
        public string V2Package => Path.Combine(ServeDir, "esp32", "stable", "fw-2.0.0_ota.img");

        public Fixture(string name, string size = "256K")
        {
            Dir = TestImage.TempDir(name);
            Directory.CreateDirectory(Path.Combine(ServeDir, "esp32", "stable"));
            Run(new SampleFirmwareCommand(), "--version", "1.0.0", "--size", size, "-o", Path.Combine(Dir, "v1.bin"));
            Run(new SampleFirmwareCommand(), "--version", "2.0.0", "--size", size, "-o", Path.Combine(Dir, "v2.bin"));
            Run(new PackCommand(), Path.Combine(Dir, "v1.bin"), "-o", V1Image, "--version", "1.0.0", "--upd-no", "1");
            Run(new PackCommand(), Path.Combine(Dir, "v2.bin"), "-o", V2Image, "--version", "2.0.0", "--upd-no", "2");
            Run(new PackCommand(), Path.Combine(Dir, "v2.bin"), "-o", V2Package, "--version", "2.0.0", "--upd-no", "2", "--compress", "xz");
            File.WriteAllBytes(Path.Combine(Dir, "bootloader.bin"), new byte[4096]);
        }

        /// <summary>A fresh flash file holding v1, CONFIRMED.</summary>
        public string FreshFlash(string name)
        {
            string path = Path.Combine(Dir, name + ".bin");
            Run(new FlashImageCommand(), "--partitions", PartitionsCsv(), "--bootloader", Path.Combine(Dir, "bootloader.bin"),
                "--app", V1Image, "-o", path);
            return path;
        }

        /// <summary>`ota serve` over <see cref="ServeDir"/>, started; the caller disposes it.</summary>
        public HttpFileServer StartServer()
        {
            var server = new HttpFileServer(ServeDir, log: TextWriter.Null);
            server.Start();
            return server;
        }

        /// <summary>Simulator options: the device on <paramref name="flashPath"/> updates from <paramref name="server"/>, v2 expected bit-exact.</summary>
        public SimOptions UpdateOptions(string server, string flashPath)
        {
            return new SimOptions { FlashPath = flashPath, Config = new OtaConfig { Server = server }, ExpectImagePath = V2Image };
        }

        public void Delete()
        {
            try { Directory.Delete(Dir, true); } catch (IOException) { }
        }

        private static string PartitionsCsv()
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "partitions.csv"))) dir = Path.GetDirectoryName(dir);
            if (dir == null) throw new FileNotFoundException("partitions.csv above " + AppContext.BaseDirectory);
            return Path.Combine(dir, "partitions.csv");
        }

        private static void Run(Ota.Tools.ICommand cmd, params string[] args)
        {
            int rc = cmd.Run(args);
            if (rc != 0) throw new InvalidOperationException("ota " + cmd.Name + " " + string.Join(" ", args) + " exited " + rc);
        }
    }
}
