#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DeviceApp.Bindings.Host;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Ota.Tools.Serve;
using OtaCore;
using OtaCore.Engine;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// HTTPS with a device root CA: a CA and a server certificate for localhost/127.0.0.1 are made
    /// at test time (CertificateRequest), a TLS terminator on 127.0.0.1 serves the real `ota serve`
    /// through SslStream, and the host range source trusts only the configured CA: the right CA
    /// downloads bit-exact ranges; another CA, or a server certificate for another name, is E610.
    /// </summary>
    [TestClass]
    public class HttpsTransportTests
    {
        private static X509Certificate2 MakeCa(string name, out ECDsa key)
        {
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        }

        private static X509Certificate2 MakeServer(X509Certificate2 ca, ECDsa caKey, string dns)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=" + dns, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dns);
            if (dns == "localhost") san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            byte[] serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
            using var issued = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
                DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
            using var withKey = issued.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        /// <summary>TLS terminator: accepts TLS on 127.0.0.1 and relays plain bytes to a backend port.</summary>
        private sealed class TlsTerminator : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly X509Certificate2 _cert;
            private readonly int _backend;
            private volatile bool _stop;

            public TlsTerminator(X509Certificate2 cert, int backendPort)
            {
                _cert = cert;
                _backend = backendPort;
                _listener.Start();
                new Thread(Accept) { IsBackground = true }.Start();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            public int Handshakes;

            private void Accept()
            {
                while (!_stop)
                {
                    TcpClient c;
                    try { c = _listener.AcceptTcpClient(); } catch (SocketException) { return; } catch (ObjectDisposedException) { return; }
                    Task.Run(() => Serve(c));
                }
            }

            private async Task Serve(TcpClient client)
            {
                using (client)
                using (var tls = new SslStream(client.GetStream()))
                {
                    try
                    {
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = _cert,
                            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        });
                        Interlocked.Increment(ref Handshakes);
                        using var back = new TcpClient();
                        await back.ConnectAsync(IPAddress.Loopback, _backend);
                        using var plain = back.GetStream();
                        var up = tls.CopyToAsync(plain);
                        var down = plain.CopyToAsync(tls);
                        await Task.WhenAny(up, down);
                    }
                    catch (Exception e) when (e is IOException || e is AuthenticationException || e is SocketException || e is ObjectDisposedException)
                    {
                        // the client refused our certificate, or closed: nothing to relay
                    }
                }
            }

            public void Dispose()
            {
                _stop = true;
                _listener.Stop();
            }
        }

        private static string Pem(X509Certificate2 c) => c.ExportCertificatePem();

        [TestMethod]
        public void EngineStagesAPackageOverHttpsWithTheConfiguredRootCa()
        {
            using var rig = new DeviceRig();
            using var ca = MakeCa("OTA Test Root CA", out ECDsa caKey);
            using var serverCert = MakeServer(ca, caKey, "localhost");
            caKey.Dispose();
            byte[] pkg = TestPackage.Build("1.1.0", 2, 30000, 3);
            // A hand-written manifest with a relative url: `ota serve` writes absolute http:// urls,
            // which a TLS terminator in front of it would not rewrite.
            rig.PublishStatic(pkg, "fw.img", "1.1.0", 2);
            using var tls = new TlsTerminator(serverCert, new Uri(rig.BaseUrl).Port);
            var config = OtaCore.Config.OtaConfig.Parse("{\"server\":\"https://localhost:" + tls.Port + "/static\",\"root_ca\":" + System.Text.Json.JsonSerializer.Serialize(Pem(ca)) + ",\"auto_reboot\":false}");
            Assert.IsTrue(config.Https);
            using var source = new HttpRangeSource(rig.Network, config.RootCa);
            OtaPlatform platform = rig.Platform();
            platform.RangeSource = source;
            OtaResult r = new OtaEngine(config, platform).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(OtaState.Staged, rig.Store.State);
            CollectionAssertBytes(pkg, rig.ReadStaging(pkg.Length));
            Assert.IsTrue(tls.Handshakes >= 1, "the transfer went through TLS");

            using var otherCa = MakeCa("Other CA", out ECDsa otherKey);
            otherKey.Dispose();
            using var wrong = new HttpRangeSource(rig.Network, Pem(otherCa));
            platform.RangeSource = wrong;
            OtaResult refused = new OtaEngine(config, platform).Update();
            Assert.AreEqual(OtaError.Tls, refused.Error, refused.Message);
        }

        private static void CollectionAssertBytes(byte[] want, byte[] got)
        {
            Assert.AreEqual(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++) if (want[i] != got[i]) Assert.Fail("byte " + i);
        }

        [TestMethod]
        public void RootCaTrustsOnlyItsOwnServers()
        {
            string dir = Path.Combine(Path.GetTempPath(), "ota-tls-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            byte[] file = new byte[100_000];
            new Random(5).NextBytes(file);
            File.WriteAllBytes(Path.Combine(dir, "pkg.img"), file);
            using var ca = MakeCa("OTA Test Root CA", out ECDsa caKey);
            using var otherCa = MakeCa("Someone Else's CA", out ECDsa otherKey);
            using var serverCert = MakeServer(ca, caKey, "localhost");
            using var wrongName = MakeServer(ca, caKey, "update.example");
            using var server = new HttpFileServer(dir, "127.0.0.1", 0, TextWriter.Null);
            server.Start();
            int backend = new Uri(server.BaseUrl).Port;
            try
            {
                using (var tls = new TlsTerminator(serverCert, backend))
                {
                    string url = "https://localhost:" + tls.Port + "/pkg.img";
                    using (var good = new HttpRangeSource(null, Pem(ca)))
                    {
                        using var r = good.Get(url, 1000, 5000, null, 10000);
                        Assert.AreEqual(206, r.Status);
                        byte[] got = new byte[5000];
                        int n = 0;
                        while (n < got.Length)
                        {
                            int k = r.Read(got, n, got.Length - n);
                            if (k <= 0) break;
                            n += k;
                        }

                        Assert.AreEqual(5000, n);
                        for (int i = 0; i < n; i++) if (got[i] != file[1000 + i]) Assert.Fail("byte " + i);
                        Assert.AreEqual(file.Length, r.TotalLength);
                    }

                    using (var other = new HttpRangeSource(null, Pem(otherCa)))
                    {
                        var e = OtaAssert.Catch(delegate { other.Get(url, 0, 100, null, 10000).Dispose(); });
                        Assert.IsNotNull(e, "a server outside the configured CA must be refused");
                        Assert.AreEqual(OtaError.Tls, e.Code, e.Message);
                    }

                    using (var plainHttp = new HttpRangeSource(null, Pem(ca)))
                    {
                        var e = OtaAssert.Catch(delegate { plainHttp.Get("https://127.0.0.1:" + backend + "/pkg.img", 0, 100, null, 1500).Dispose(); });
                        Assert.IsNotNull(e, "a plain HTTP server cannot pass a TLS handshake");
                        Assert.IsTrue(e.Code == OtaError.Tls || e.Code == OtaError.NetTimeout, e.Message);
                    }
                }

                using (var tls = new TlsTerminator(wrongName, backend))
                using (var src = new HttpRangeSource(null, Pem(ca)))
                {
                    var e = OtaAssert.Catch(delegate { src.Get("https://localhost:" + tls.Port + "/pkg.img", 0, 100, null, 10000).Dispose(); });
                    Assert.IsNotNull(e, "a certificate for another host name must be refused");
                    Assert.AreEqual(OtaError.Tls, e.Code, e.Message);
                }

                Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { new HttpRangeSource(null, "not a certificate").Dispose(); }));
            }
            finally
            {
                caKey.Dispose();
                otherKey.Dispose();
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }
    }
}
#endif
