#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using DeviceApp.Bindings.Host;
using Ota.Tools.Images;
using Ota.Tools.Serve;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// A simulated device for engine tests, all real parts: a 4 MB flash file through libotahost
    /// (the C NOR flash with power-cut injection), the real `ota serve` HTTP server on 127.0.0.1
    /// with scripted faults, the host HTTP range source, native SHA-256, and a fake clock.
    /// <see cref="Reboot"/> closes and reopens the flash file (what a power cycle leaves).
    /// </summary>
    public sealed class DeviceRig : IDisposable
    {
        /// <summary>Flash size of the simulated device.</summary>
        public const uint FlashSize = 0x400000;

        private readonly string _dir;
        private HttpFileServer _server;

        /// <summary>Creates the rig: empty serve folder, erased flash, server started.</summary>
        public DeviceRig()
        {
            _dir = Path.Combine(Path.GetTempPath(), "ota-d1-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            ServeRoot = Path.Combine(_dir, "www");
            Directory.CreateDirectory(ServeRoot);
            FlashPath = Path.Combine(_dir, "flash.bin");
            Flash = HostFlash.Open(FlashPath, FlashSize);
            Faults = new ScriptedFaults();
            _server = new HttpFileServer(ServeRoot, "127.0.0.1", 0, TextWriter.Null);
            _server.Faults = Faults;
            _server.Start();
            Network = new HostNetworkStatus();
            Source = new HttpRangeSource(Network);
            Native = new HostNativeServices();
            Clock = new FakeClock();
        }

        /// <summary>Folder the server serves.</summary>
        public string ServeRoot { get; }

        /// <summary>The flash image file.</summary>
        public string FlashPath { get; }

        /// <summary>The open flash (replaced by <see cref="Reboot"/>).</summary>
        public HostFlash Flash { get; private set; }

        /// <summary>Fault rules and request log of the server.</summary>
        public ScriptedFaults Faults { get; }

        /// <summary>The HTTP range source (real HttpClient).</summary>
        public HttpRangeSource Source { get; }

        /// <summary>SHA-256 through libotahost.</summary>
        public HostNativeServices Native { get; }

        /// <summary>The simulated network link.</summary>
        public HostNetworkStatus Network { get; }

        /// <summary>The fake clock.</summary>
        public FakeClock Clock { get; }

        /// <summary>Server base URL.</summary>
        public string BaseUrl => _server.BaseUrl;

        /// <summary>Requests the server answered.</summary>
        public long ServerRequests => _server.RequestCount;

        /// <summary>Staging partition view.</summary>
        public HostFlashPartition Staging => Flash.Partition("app_ota", TestPackage.StagingOffset, TestPackage.StagingSize);

        /// <summary>otadata partition view.</summary>
        public HostFlashPartition OtaData => Flash.Partition("otadata", TestPackage.OtaDataOffset, TestPackage.OtaDataSize);

        /// <summary>app partition view.</summary>
        public HostFlashPartition App => Flash.Partition("app", TestPackage.AppOffset, TestPackage.AppSize);

        /// <summary>A state store over the current flash.</summary>
        public OtaStateStore Store => new OtaStateStore(OtaData);

        /// <summary>A config pointing at the server, device "esp32", channel "stable", no auto reboot.</summary>
        public OtaConfig Config()
        {
            var c = new OtaConfig();
            c.Server = BaseUrl;
            c.AutoReboot = false;
            return c;
        }

        /// <summary>The platform parts over the current flash.</summary>
        public OtaPlatform Platform()
        {
            return new OtaPlatform
            {
                RangeSource = Source,
                Network = Network,
                Clock = Clock,
                Native = Native,
                Staging = Staging,
                OtaData = OtaData,
                App = App,
            };
        }

        /// <summary>An engine over the current flash.</summary>
        public OtaEngine Engine(OtaConfig config) => new OtaEngine(config ?? Config(), Platform());

        /// <summary>Puts <paramref name="image"/> where the manifest finds it; returns its URL path.</summary>
        public string Publish(byte[] image, string name, string device = "esp32", string channel = "stable")
        {
            string d = Path.Combine(ServeRoot, device, channel);
            Directory.CreateDirectory(d);
            string tmp = Path.Combine(d, name + ".tmp");
            File.WriteAllBytes(tmp, image);
            File.Move(tmp, Path.Combine(d, name), true);
            return "/" + device + "/" + channel + "/" + name;
        }

        /// <summary>
        /// Builds a <see cref="TestPackage"/> (<paramref name="version"/>, <paramref name="updNo"/>,
        /// a body of <paramref name="bodyLength"/> bytes from <paramref name="seed"/>), publishes it
        /// as <paramref name="name"/> for esp32/stable and returns its bytes.
        /// </summary>
        public byte[] PublishPackage(string name, string version, uint updNo, int bodyLength, int seed)
        {
            byte[] image = TestPackage.Build(version, updNo, bodyLength, seed);
            Publish(image, name);
            return image;
        }

        /// <summary>
        /// A factory-flashed device: the default partition table, the body of
        /// <paramref name="fullImage"/> in app and a CONFIRMED record with its header installed
        /// and max_upd_no = its upd_no.
        /// </summary>
        public void FlashFactoryImage(byte[] fullImage)
        {
            byte[] pt = new byte[PartitionTable.BinaryLength];
            DefaultLayout.Table().WriteBinary(pt, 0, (d, o, n) => System.Security.Cryptography.MD5.HashData(new ReadOnlySpan<byte>(d, o, n)));
            Flash.Program(PartitionTable.TableOffset, pt, 0, pt.Length);
            Flash.Program(TestPackage.AppOffset, fullImage, ImageHeader.Size, fullImage.Length - ImageHeader.Size);
            var rec = new OtaStateRecord { State = OtaState.Confirmed, MaxUpdNo = ImageHeader.Parse(fullImage, 0).UpdNo };
            rec.InstalledHeaderBytes = fullImage[..ImageHeader.Size];
            Store.WriteNext(rec, false);
        }

        /// <summary>
        /// Asserts the record is STAGED and staging holds <paramref name="image"/> byte for byte.
        /// </summary>
        public void AssertStaged(byte[] image)
        {
            Assert.AreEqual(OtaState.Staged, Store.ReadCurrent().State);
            CollectionAssert.AreEqual(image, ReadStaging(image.Length));
        }

        /// <summary>Base URL under which <see cref="WriteStatic"/> files (hand-written manifests) are served.</summary>
        public string StaticServer => BaseUrl + "/static";

        /// <summary>Writes a file served as <see cref="StaticServer"/> + "/" + <paramref name="relPath"/>.</summary>
        public void WriteStatic(string relPath, byte[] content)
        {
            string f = Path.Combine(ServeRoot, "static", relPath);
            Directory.CreateDirectory(Path.GetDirectoryName(f));
            File.WriteAllBytes(f, content);
        }

        /// <summary>
        /// Serves <paramref name="image"/> as static/NAME and a hand-written manifest for it at
        /// static/manifest/esp32/stable.json; <paramref name="edit"/> may change the JSON text.
        /// </summary>
        public void PublishStatic(byte[] image, string name, string version, uint updNo, Func<string, string> edit = null)
        {
            WriteStatic(name, image);
            string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(image)).ToLowerInvariant();
            string json = "{\"device\":\"esp32\",\"channel\":\"stable\",\"version\":\"" + version + "\",\"upd_no\":" + updNo
                + ",\"url\":\"" + name + "\",\"size\":" + image.Length + ",\"sha256\":\"" + sha + "\"}";
            if (edit != null) json = edit(json);
            WriteStatic("manifest/esp32/stable.json", System.Text.Encoding.UTF8.GetBytes(json));
        }

        /// <summary>Removes a published file.</summary>
        public void Unpublish(string name, string device = "esp32", string channel = "stable")
        {
            File.Delete(Path.Combine(ServeRoot, device, channel, name));
        }

        /// <summary>
        /// Writes a state record as `flash-image` or the bootloader would leave it: state
        /// <paramref name="state"/> with the installed header of <paramref name="version"/>.
        /// </summary>
        public void SetRunning(string version, uint updNo, OtaState state)
        {
            byte[] body = TestPackage.Body(1024, 7);
            ImageHeader h = TestPackage.Header(version, updNo, body);
            OtaStateStore store = Store;
            OtaStateRecord r = store.ReadCurrent() ?? new OtaStateRecord();
            r.State = state;
            r.InstalledHeader = h;
            r.MaxUpdNo = updNo;
            store.WriteNext(r, false);
        }

        /// <summary>The first <paramref name="count"/> bytes of staging.</summary>
        public byte[] ReadStaging(int count)
        {
            byte[] b = new byte[count];
            Flash.Read(TestPackage.StagingOffset, b, 0, count);
            return b;
        }

        /// <summary>Power cycle: closes the flash file and opens it again (clears an injected cut).</summary>
        public void Reboot()
        {
            Flash.Dispose();
            Flash = HostFlash.Open(FlashPath, FlashSize);
        }

        /// <summary>Stops the server, closes the flash, deletes the files.</summary>
        public void Dispose()
        {
            _server?.Dispose();
            _server = null;
            Flash?.Dispose();
            Source.Dispose();
            Native.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }
    }
}
#endif
