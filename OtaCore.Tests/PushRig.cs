#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using DeviceApp.Bindings.Host;
using DeviceApp.HostApp;
using Ota.Tools.Commands;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.Platform;
using OtaCore.Push;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// A simulated device that takes network pushes, all real parts: a 4 MB flash file composed by
    /// `ota flash-image` (partition table from partitions.csv, app 1.0.0 CONFIRMED) opened through
    /// libotahost, the push receiver over the host push transport (UDP + TCP on 127.0.0.1) served
    /// by a background thread, MD5/SHA-256 natives, and the C bootloader (otahost_boot) for boots.
    /// The clock is real unless a <see cref="FakeClock"/> is given (back-off tests).
    /// </summary>
    public sealed class PushRig : IDisposable
    {
        /// <summary>Version of the image the flash starts with.</summary>
        public const string OldVersion = "1.0.0";

        private readonly string _dir;
        private readonly HostNativeServices _native = new HostNativeServices();
        private Thread _thread;
        private volatile bool _stop;

        /// <summary>Composes the flash and builds the receiver (not serving yet: <see cref="Serve"/>).</summary>
        public PushRig(string passwordMd5 = "", IClock clock = null, bool withDataPartition = true)
        {
            _dir = Path.Combine(Path.GetTempPath(), "ota-push-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(_dir);
            OldImage = TestPackage.Build(OldVersion, 1, 96 * 1024, 11);
            File.WriteAllBytes(P("fw1.img"), OldImage);
            File.WriteAllBytes(P("boot.bin"), new byte[4096]);
            TextWriter saved = Console.Out;
            int rc;
            try
            {
                Console.SetOut(TextWriter.Null);
                rc = new FlashImageCommand().Run(new[] { "--partitions", RepoFile("partitions.csv"), "--bootloader", P("boot.bin"), "--app", P("fw1.img"), "-o", P("flash.bin") });
            }
            finally
            {
                Console.SetOut(saved);
            }
            Assert.AreEqual(0, rc, "ota flash-image");
            Flash = HostFlash.Open(P("flash.bin"));
            Table = HostDeviceApp.ReadPartitionTable(Flash);
            Config = new PushConfig { PasswordMd5 = passwordMd5, AutoReboot = false };
            Clock = clock ?? new SystemClock();
            Platform = new OtaPlatform
            {
                Clock = Clock,
                Native = _native,
                Staging = Part(Table.Staging),
                OtaData = Part(Table.OtaData),
                App = Part(Table.App),
            };
            DataPartition = withDataPartition ? Part(Table.Find("config")) : null;
            Receiver = new PushReceiver(Config, Platform, DataPartition, new PushNonceSource(), new byte[4096]);
            Transport = new PushHostTransport(IPAddress.Loopback, 0);
            Server = new PushServer(Receiver, Transport, 3000);
        }

        /// <summary>The image in the app partition at the start (header + body).</summary>
        public byte[] OldImage { get; }

        /// <summary>The flash.</summary>
        public HostFlash Flash { get; }

        /// <summary>The partition table the bootloader reads.</summary>
        public PartitionTable Table { get; }

        /// <summary>Receiver settings (no auto reboot: tests boot explicitly).</summary>
        public PushConfig Config { get; }

        /// <summary>The device clock.</summary>
        public IClock Clock { get; }

        /// <summary>Platform parts over the flash.</summary>
        public OtaPlatform Platform { get; }

        /// <summary>The config partition (command 100), or null.</summary>
        public IFlashPartition DataPartition { get; }

        /// <summary>The receiver under test.</summary>
        public PushReceiver Receiver { get; }

        /// <summary>UDP/TCP transport on 127.0.0.1.</summary>
        public PushHostTransport Transport { get; }

        /// <summary>The server the background thread polls.</summary>
        public PushServer Server { get; }

        /// <summary>The push port.</summary>
        public int Port => Transport.Port;

        /// <summary>The state store over otadata.</summary>
        public OtaStateStore Store => new OtaStateStore(Platform.OtaData);

        /// <summary>A file in the rig's folder.</summary>
        public string P(string name) => Path.Combine(_dir, name);

        /// <summary>Starts serving pushes on a background thread.</summary>
        public void Serve()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    Server.Poll(50);
                }
            }) { IsBackground = true, Name = "push-device" };
            _thread.Start();
        }

        /// <summary>One boot of the C bootloader on this flash: rc and parsed JSON report.</summary>
        public JsonObject Boot(out int rc)
        {
            StopServing();
            rc = Flash.Boot(out string json);
            return (JsonObject)JsonNode.Parse(json);
        }

        /// <summary>Boots and checks that the app runs <paramref name="version"/> (verified).</summary>
        public JsonObject BootExpecting(string version)
        {
            JsonObject j = Boot(out int rc);
            Assert.AreEqual(0, rc, j.ToJsonString());
            Assert.AreEqual(true, (bool)j["boot"], j.ToJsonString());
            Assert.AreEqual(version, (string)j["image"]["version"], j.ToJsonString());
            return j;
        }

        /// <summary>Bytes of the app partition.</summary>
        public byte[] ReadApp(int count)
        {
            byte[] b = new byte[count];
            Flash.Read(Table.App.Offset, b, 0, count);
            return b;
        }

        /// <summary>Bytes of the config partition.</summary>
        public byte[] ReadConfig(int count)
        {
            byte[] b = new byte[count];
            Flash.Read(Table.Find("config").Offset, b, 0, count);
            return b;
        }

        /// <summary>The old app body is still in the app partition, bit for bit.</summary>
        public void AssertOldAppIntact()
        {
            byte[] app = ReadApp(OldImage.Length - ImageHeader.Size);
            for (int i = 0; i < app.Length; i++)
            {
                if (app[i] != OldImage[ImageHeader.Size + i]) Assert.Fail("app byte " + i + " changed");
            }
        }

        /// <summary>Stops the background thread.</summary>
        public void StopServing()
        {
            _stop = true;
            _thread?.Join(5000);
            _thread = null;
        }

        /// <summary>Stops, closes, deletes.</summary>
        public void Dispose()
        {
            StopServing();
            Transport.Dispose();
            Flash.Dispose();
            _native.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>A file of the repository (found above the test assembly).</summary>
        public static string RepoFile(string name)
        {
            string d = AppContext.BaseDirectory;
            while (d != null)
            {
                string f = Path.Combine(d, name);
                if (File.Exists(f) && Directory.Exists(Path.Combine(d, "OtaCore"))) return f;
                d = Path.GetDirectoryName(d);
            }
            throw new FileNotFoundException(name + " not found above " + AppContext.BaseDirectory);
        }

        private HostFlashPartition Part(PartitionEntry e) => Flash.Partition(e.Name, e.Offset, e.Size);
    }
}
#endif
