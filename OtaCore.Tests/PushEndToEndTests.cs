#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ota.Tools.Commands;
using Ota.Tools.Push;
using OtaCore.Image;
using OtaCore.Push;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// Network push end to end on 127.0.0.1: `ota push` (in-process client and the CLI as a
    /// process) against the simulated device (real UDP/TCP sockets, real flash, real bootloader).
    /// </summary>
    [TestClass]
    public class PushEndToEndTests
    {
        private static string Md5Hex(byte[] b) => PushReceiverTests.Md5Hex(b);

        private static PushClient Client(PushRig rig, string password = null, bool fs = false) => new PushClient
        {
            Host = "127.0.0.1",
            Port = rig.Port,
            Password = password,
            Filesystem = fs,
            TimeoutMs = 3000,
            FinalTimeoutMs = 10000,
        };

        private static (int Exit, string Out, string Err) Cli(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ota.dll"));
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            var err = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, o, err.Result);
        }

        private static string OneErrorLine(string err)
        {
            string[] lines = err.TrimEnd('\n').Split('\n');
            string last = lines[lines.Length - 1];
            foreach (string l in lines)
            {
                if (l.StartsWith("ota: ")) Assert.AreEqual(last, l, "exactly one error line, the last: " + err);
            }
            return last;
        }

        // The host side of a push by hand: the UDP invitation "0 HOSTPORT SIZE MD5" to the device,
        // which must answer "OK".
        private static void Invite(PushRig rig, int hostPort, long size, string md5)
        {
            using var udp = new UdpClient();
            udp.Connect(IPAddress.Loopback, rig.Port);
            byte[] inv = Encoding.ASCII.GetBytes("0 " + hostPort + " " + size + " " + md5 + "\n");
            udp.Send(inv, inv.Length);
            IPEndPoint from = null;
            udp.Client.ReceiveTimeout = 3000;
            Assert.AreEqual("OK", Encoding.ASCII.GetString(udp.Receive(ref from)));
        }

        // Invites the device to connect back to a listener on 127.0.0.1; returns the connection it opened.
        private static Socket InviteAndAccept(PushRig rig, long size, string md5)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                Invite(rig, ((IPEndPoint)listener.LocalEndpoint).Port, size, md5);
                return listener.AcceptSocket();
            }
            finally
            {
                listener.Stop();
            }
        }

        [TestMethod]
        public void RawFirmwareWithoutPasswordInstallsBitExact()
        {
            using var rig = new PushRig();
            rig.Serve();
            byte[] fw = TestPackage.Body(200 * 1024 + 2, 31);
            long last = 0;
            var c = new PushClient { Host = "127.0.0.1", Port = rig.Port, TimeoutMs = 3000, Progress = (s, t) => last = s };
            c.Push(fw);
            Assert.AreEqual(fw.Length, last);
            Assert.AreEqual(PushState.Done, rig.Receiver.State);
            var j = rig.BootExpecting(PushReceiver.RawVersionPrefix + Md5Hex(fw).Substring(0, 8));
            Assert.AreEqual(true, (bool)j["image"]["verified"]);
            byte[] app = rig.ReadApp(fw.Length);
            CollectionAssert.AreEqual(fw, app);
        }

        [TestMethod]
        public void CliPushesAnXzImageWithPasswordAndItBootsBitExact()
        {
            using var rig = new PushRig(PushReceiverTests.Md5Hex("hunter2"));
            rig.Serve();
            byte[] fw = TestPackage.Body(300 * 1024, 41);
            File.WriteAllBytes(rig.P("fw2.bin"), fw);
            TextWriter saved = Console.Out;
            try
            {
                Console.SetOut(TextWriter.Null);
                Assert.AreEqual(0, new PackCommand().Run(new[] { rig.P("fw2.bin"), "-o", rig.P("fw2_ota.img"), "--version", "2.0.0", "--upd-no", "2", "--compress", "xz", "--partitions", PushRig.RepoFile("partitions.csv"), "--target", "app" }));
            }
            finally
            {
                Console.SetOut(saved);
            }

            var r = Cli("push", "127.0.0.1", rig.P("fw2_ota.img"), "--port", rig.Port.ToString(), "--password", "hunter2", "--chunk", "1460", "--timeout", "5");
            Assert.AreEqual(0, r.Exit, r.Err);
            StringAssert.Contains(r.Out, ": OK");
            StringAssert.Contains(r.Err, "upload 100%");
            Assert.AreEqual("2.0.0", rig.Receiver.StagedVersion);
            var j = rig.BootExpecting("2.0.0");
            StringAssert.Contains(j.ToJsonString(), "\"install\"");
            byte[] app = rig.ReadApp(fw.Length);
            CollectionAssert.AreEqual(fw, app);
        }

        [TestMethod]
        public void CliWrongPasswordIsOneLineE1002AndChangesNothing()
        {
            using var rig = new PushRig(PushReceiverTests.Md5Hex("right"));
            rig.Serve();
            File.WriteAllBytes(rig.P("fw.bin"), TestPackage.Body(10000, 2));
            var r = Cli("push", "127.0.0.1", rig.P("fw.bin"), "--port", rig.Port.ToString(), "--password", "wrong", "--timeout", "3");
            Assert.AreNotEqual(0, r.Exit);
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E1002 PUSH_AUTH: ");

            // immediately again: the device backs off (E1003 from the device)
            r = Cli("push", "127.0.0.1", rig.P("fw.bin"), "--port", rig.Port.ToString(), "--password", "right", "--timeout", "3");
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E1003 PUSH_BUSY: device: ");

            // no password at all against a device that needs one
            r = Cli("push", "127.0.0.1", rig.P("fw.bin"), "--port", rig.Port.ToString(), "--timeout", "3");
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E");

            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void CliUsageAndIoErrorsAreOneLine()
        {
            var r = Cli("push", "127.0.0.1");
            Assert.AreEqual(2, r.Exit);
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E901 USAGE: ");
            r = Cli("push", "127.0.0.1", "/nonexistent/fw.bin");
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E902 IO: ");
            r = Cli("push", "127.0.0.1", "/etc/hostname", "--port", "0");
            StringAssert.StartsWith(OneErrorLine(r.Err), "ota: E901 USAGE: ");
        }

        [TestMethod]
        public void NoDeviceIsE1006()
        {
            int port;
            using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) port = ((IPEndPoint)probe.Client.LocalEndPoint).Port;
            var c = new PushClient { Host = "127.0.0.1", Port = port, TimeoutMs = 300, InvitationTries = 2 };
            OtaError code = OtaError.Ok;
            try
            {
                c.Push(new byte[100]);
            }
            catch (OtaException e)
            {
                code = e.Code;
            }
            Assert.AreEqual(OtaError.PushConnection, code);
        }

        [TestMethod]
        public void DroppedConnectionMidTransferKeepsTheOldFirmwareAndARetryWorks()
        {
            using var rig = new PushRig();
            rig.Serve();
            byte[] fw = TestPackage.Body(256 * 1024, 51);
            using (Socket s = InviteAndAccept(rig, fw.Length, Md5Hex(fw)))
            {
                s.Send(fw, 0, 100 * 1024, SocketFlags.None);
                s.Shutdown(SocketShutdown.Both);
            }
            WaitFor(rig, PushState.Failed);
            Assert.AreEqual(OtaError.PushConnection, rig.Receiver.LastError, rig.Receiver.LastMessage);
            Assert.AreNotEqual(OtaState.Staged, rig.Store.State);

            // nothing was lost: the next push of the same file succeeds
            Client(rig).Push(fw);
            Assert.AreEqual(PushState.Done, rig.Receiver.State);
            rig.BootExpecting(PushReceiver.RawVersionPrefix + Md5Hex(fw).Substring(0, 8));
            CollectionAssert.AreEqual(fw, rig.ReadApp(fw.Length));
        }

        [TestMethod]
        public void DroppedConnectionThenBootRunsTheOldFirmware()
        {
            using var rig = new PushRig();
            rig.Serve();
            byte[] img = TestPackage.Build("3.0.0", 3, 128 * 1024, 61);
            using (Socket s = InviteAndAccept(rig, img.Length, Md5Hex(img)))
            {
                s.Send(img, 0, img.Length - 5000, SocketFlags.None);
                s.Close(0);
            }
            WaitFor(rig, PushState.Failed);
            Assert.AreEqual(OtaError.PushConnection, rig.Receiver.LastError, rig.Receiver.LastMessage);
            Assert.AreNotEqual(OtaState.Staged, rig.Store.State);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void HostPortNobodyListensOnIsE1006OnTheDevice()
        {
            using var rig = new PushRig();
            rig.Serve();
            int closed;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                closed = ((IPEndPoint)l.LocalEndpoint).Port;
            }
            Invite(rig, closed, 100, new string('1', 32));
            WaitFor(rig, PushState.Failed);
            StringAssert.StartsWith(rig.Receiver.LastMessage, "E1006 PUSH_CONNECTION: connect to 127.0.0.1:" + closed);
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
        }

        [TestMethod]
        public void Md5MismatchOverTheNetworkIsReportedToTheHost()
        {
            using var rig = new PushRig();
            rig.Serve();
            byte[] fw = TestPackage.Body(5000, 71);
            string reply;
            using (Socket s = InviteAndAccept(rig, fw.Length, new string('0', 32)))
            {
                s.ReceiveTimeout = 3000;
                s.Send(fw);
                var text = new StringBuilder();
                byte[] buf = new byte[256];
                int n;
                while ((n = s.Receive(buf)) > 0) text.Append(Encoding.ASCII.GetString(buf, 0, n));
                reply = text.ToString();
            }
            StringAssert.Contains(reply, "ERROR E1005 PUSH_MD5: ");
            var e = PushClient.DeviceError(reply.Substring(reply.IndexOf("ERROR")), "transfer");
            Assert.AreEqual(OtaError.PushMd5, e.Code);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void FilesystemPushWritesTheConfigPartitionThroughStaging()
        {
            using var rig = new PushRig();
            rig.Serve();
            byte[] fs = TestPackage.Body(64 * 1024 + 1, 81);
            Client(rig, fs: true).Push(fs);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Staged, rec.State);
            Assert.AreEqual(ImageType.Data, rec.StagedHeader.ImgType);
            Assert.AreEqual(rig.Table.Find("config").Offset, rec.StagedHeader.ImgAddr);
            var j = rig.BootExpecting(PushRig.OldVersion); // the app stays what it was
            Assert.AreEqual("TRIAL", (string)j["state_after"]);
            CollectionAssert.AreEqual(fs, rig.ReadConfig(fs.Length));
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void CliDeviceAndCliClientAsProcesses()
        {
            using var rig = new PushRig(); // only for its composed flash file
            rig.Transport.Dispose();
            rig.Flash.Dispose();
            byte[] fw = TestPackage.Body(120 * 1024, 91);
            File.WriteAllBytes(rig.P("fw3.bin"), fw);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ota.dll"));
            foreach (string a in new[] { "push-device", "--flash", rig.P("flash.bin"), "--port", "0", "--password", "pw", "--count", "1", "--timeout", "60" })
                psi.ArgumentList.Add(a);
            using var dev = Process.Start(psi);
            try
            {
                string first = dev.StandardError.ReadLine();
                StringAssert.StartsWith(first, "listening on 127.0.0.1:");
                string port = first.Split(',')[0].Substring("listening on 127.0.0.1:".Length);
                var r = Cli("push", "127.0.0.1", rig.P("fw3.bin"), "--port", port, "--password", "pw", "--quiet");
                Assert.AreEqual(0, r.Exit, r.Err);
                Assert.IsTrue(dev.WaitForExit(30000), "push-device ends after --count 1");
                Assert.AreEqual(0, dev.ExitCode);
                string version = PushReceiver.RawVersionPrefix + Md5Hex(fw).Substring(0, 8);
                StringAssert.Contains(dev.StandardOutput.ReadToEnd(), "push 1: staged " + version + "; boot: runs " + version + ", confirmed");
            }
            finally
            {
                if (!dev.HasExited) dev.Kill();
            }
            using var flash = DeviceApp.Bindings.Host.HostFlash.Open(rig.P("flash.bin"));
            byte[] app = new byte[fw.Length];
            flash.Read(rig.Table.App.Offset, app, 0, app.Length);
            CollectionAssert.AreEqual(fw, app);
            Assert.AreEqual(0, flash.Boot(out string json), json);
            StringAssert.Contains(json, "\"state_after\":\"CONFIRMED\"");
        }

        private static void WaitFor(PushRig rig, PushState state)
        {
            var sw = Stopwatch.StartNew();
            while (rig.Receiver.State != state && sw.ElapsedMilliseconds < 10000) System.Threading.Thread.Sleep(20);
            Assert.AreEqual(state, rig.Receiver.State, rig.Receiver.LastMessage);
        }
    }
}
#endif
