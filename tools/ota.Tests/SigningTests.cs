using System.Security.Cryptography;
using OtaCore;
using OtaCore.Image;
using Ota.Tools.Signing;

namespace Ota.Tools.Tests;

/// <summary>
/// `ota keygen/sign/verify` through the real CLI, and the host verifier against the signing
/// vectors that test-vectors/signing/generate.py made with Python's `cryptography` (so .NET and
/// an independent implementation agree on the format and the signed bytes).
/// </summary>
[TestClass]
public class SigningTests
{
    private static string Vectors => CliRunner.Asset("test-vectors", "signing");

    private static void Pack(CliRunner c, string output, params string[] extra)
    {
        var rnd = new Random(77);
        byte[] fw = new byte[40_000];
        rnd.NextBytes(fw);
        for (int i = 0; i < fw.Length; i += 3) fw[i] = 0x55; // compressible part
        File.WriteAllBytes(c.P("fw.bin"), fw);
        c.Ok(new[] { "pack", "fw.bin", "-o", output, "--version", "4.0.1", "--upd-no", "9", "-q" }.Concat(extra).ToArray());
    }

    [TestMethod]
    public void KeygenWritesAPrivateKeyOnlyTheOwnerCanReadAndNeverOverwrites()
    {
        using var c = new CliRunner();
        var r = c.Ok("keygen", "-o", "k.pem", "--pub", "p.pem");
        using var key = SigningKeys.LoadPrivate(c.P("k.pem"));
        using var pub = SigningKeys.LoadPublic(c.P("p.pem"));
        StringAssert.Contains(r.Out, "key id " + SigningKeys.KeyIdHex(key));
        Assert.AreEqual(SigningKeys.KeyIdHex(key), SigningKeys.KeyIdHex(pub));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(c.P("k.pem")));
        StringAssert.StartsWith(File.ReadAllText(c.P("k.pem")), "-----BEGIN PRIVATE KEY-----");
        StringAssert.StartsWith(File.ReadAllText(c.P("p.pem")), "-----BEGIN PUBLIC KEY-----");

        string before = File.ReadAllText(c.P("k.pem"));
        c.Fails(902, "keygen", "-o", "k.pem");
        c.Fails(902, "keygen", "-o", "new.pem", "--pub", "p.pem");
        Assert.IsFalse(File.Exists(c.P("new.pem")), "no private key without its public key");
        Assert.AreEqual(before, File.ReadAllText(c.P("k.pem")));
        c.Ok("keygen", "-o", "k.pem", "--force", "-q");
        Assert.AreNotEqual(before, File.ReadAllText(c.P("k.pem")));
        CollectionAssert.AreEquivalent(new[] { "k.pem", "p.pem" }, Directory.GetFiles(c.Dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void SignedFullAndXzImagesVerifyAndStillInspect()
    {
        using var c = new CliRunner();
        c.Ok("keygen", "-o", "k.pem", "--pub", "p.pem", "-q");
        Pack(c, "fw.img");
        Pack(c, "fw_ota.img", "--compress", "xz");
        foreach (string name in new[] { "fw.img", "fw_ota.img" })
        {
            string signedName = "s_" + name;
            c.Ok("sign", name, "--key", "k.pem", "-o", signedName, "--slot", "5");
            byte[] plain = File.ReadAllBytes(c.P(name));
            byte[] img = File.ReadAllBytes(c.P(signedName));
            Assert.AreEqual(plain.Length + SignatureBlock.Size, img.Length);
            var h = ImageHeader.Parse(img, 0);
            Assert.IsTrue(h.Signed);
            Assert.AreEqual(5, h.PrikeySel);
            for (int i = ImageHeader.Size; i < plain.Length; i++) if (img[i] != plain[i]) Assert.Fail("body changed at " + i);

            var block = SignatureBlock.Parse(img, (int)SignatureBlock.OffsetIn(h));
            byte[] full = h.Compressed ? Ota.Tools.Images.ImageInspector.Verify(img).Full(img) : img[..(img.Length - 256)];
            Assert.AreEqual((uint)full.Length, block.ImageSize);
            Assert.IsTrue(block.ImageHashEquals(SHA256.HashData(full), 0));
            if (h.Compressed) Assert.AreEqual(40_000 + 64, full.Length);

            var v = c.Ok("verify", signedName, "--pub", "p.pem");
            StringAssert.Contains(v.Out, "signature OK");
            StringAssert.Contains(v.Out, "key id " + block.KeyIdHex());
            var ins = c.Ok("inspect", signedName);
            StringAssert.Contains(ins.Out, "key id " + block.KeyIdHex());
            var j = System.Text.Json.JsonDocument.Parse(c.Ok("inspect", signedName, "--json").Out).RootElement;
            Assert.AreEqual(block.KeyIdHex(), j.GetProperty("signature").GetProperty("key_id").GetString());
            Assert.AreEqual(block.ImageSize, j.GetProperty("signature").GetProperty("image_size").GetUInt32());
            byte[] broken = (byte[])img.Clone();
            broken[^100] ^= 1; // inside the block: the format check needs no key
            File.WriteAllBytes(c.P("broken_" + name), broken);
            c.Fails(802, "inspect", "broken_" + name);
            c.Fails(801, "verify", name, "--pub", "p.pem");
        }
    }

    [TestMethod]
    public void PackSignEqualsPackThenSign()
    {
        using var c = new CliRunner();
        c.Ok("keygen", "-o", "k.pem", "--pub", "p.pem", "-q");
        Pack(c, "plain_ota.img", "--compress", "xz");
        var r = c.Ok("pack", "fw.bin", "-o", "packed.img", "--version", "4.0.1", "--upd-no", "9", "--compress", "xz", "--sign", "k.pem", "--slot", "2");
        StringAssert.Contains(r.Out, "signed with key id");
        c.Ok("sign", "plain_ota.img", "--key", "k.pem", "-o", "signed.img", "--slot", "2", "-q");
        byte[] a = File.ReadAllBytes(c.P("packed.img")), b = File.ReadAllBytes(c.P("signed.img"));
        Assert.AreEqual(a.Length, b.Length);
        int signedEnd = a.Length - SignatureBlock.Size + SignatureBlock.SignedLength;
        for (int i = 0; i < signedEnd; i++) if (a[i] != b[i]) Assert.Fail("byte " + i + " differs");
        c.Ok("verify", "packed.img", "--pub", "p.pem");
        c.Fails(901, "pack", "fw.bin", "-o", "x.img", "--version", "1.0", "--slot", "1");
        c.Fails(807, "pack", "fw.bin", "-o", "x.img", "--version", "1.0", "--sign", "p.pem");
        Assert.IsFalse(File.Exists(c.P("x.img")));
    }

    [TestMethod]
    public void ResigningMovesAnImageToANewKey()
    {
        using var c = new CliRunner();
        c.Ok("keygen", "-o", "old.pem", "--pub", "old_pub.pem", "-q");
        c.Ok("keygen", "-o", "new.pem", "--pub", "new_pub.pem", "-q");
        Pack(c, "fw_ota.img", "--compress", "xz");
        c.Ok("sign", "fw_ota.img", "--key", "old.pem", "-o", "a.img", "-q");
        c.Ok("sign", "a.img", "--key", "new.pem", "-o", "b.img", "-q");
        Assert.AreEqual(new FileInfo(c.P("a.img")).Length, new FileInfo(c.P("b.img")).Length);
        c.Fails(804, "verify", "b.img", "--pub", "old_pub.pem");
        c.Ok("verify", "b.img", "--pub", "new_pub.pem");
        c.Ok("verify", "b.img", "--pub", "old_pub.pem", "--pub", "new_pub.pem");
    }

    [TestMethod]
    public void BadKeysAndBadInputsFailWithTheirCodeAndLeaveNoOutput()
    {
        using var c = new CliRunner();
        c.Ok("keygen", "-o", "k.pem", "--pub", "p.pem", "-q");
        Pack(c, "fw.img");
        c.Fails(807, "sign", "fw.img", "--key", "p.pem", "-o", "out.img");
        File.WriteAllText(c.P("junk.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        c.Fails(807, "verify", "fw.img", "--pub", "junk.pem");
        using (var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            File.WriteAllText(c.P("p384.pem"), p384.ExportPkcs8PrivateKeyPem());
        }
        c.Fails(807, "sign", "fw.img", "--key", "p384.pem", "-o", "out.img");
        c.Fails(902, "sign", "missing.img", "--key", "k.pem", "-o", "out.img");
        byte[] broken = File.ReadAllBytes(c.P("fw.img"));
        broken[100] ^= 1;
        File.WriteAllBytes(c.P("broken.img"), broken);
        c.Fails(108, "sign", "broken.img", "--key", "k.pem", "-o", "out.img");
        c.Fails(901, "sign", "fw.img", "--key", "k.pem", "-o", "out.img", "--slot", "8");
        c.Fails(901, "verify", "fw.img");
        Assert.IsFalse(File.Exists(c.P("out.img")));
        Assert.AreEqual(0, c.Leftovers("k.pem", "p.pem", "fw.bin", "fw.img", "junk.pem", "p384.pem", "broken.img").Length);
    }

    [TestMethod]
    public void EveryVectorGetsItsExpectedResult()
    {
        using var pub = SigningKeys.LoadPublic(Path.Combine(Vectors, "test_pub.pem"));
        var keys = new[] { pub };
        int n = 0;
        foreach (string expect in Directory.GetFiles(Vectors, "*.expect"))
        {
            var lines = File.ReadAllLines(expect).Where(l => !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            int want = int.Parse(lines["error"]);
            byte[] img = File.ReadAllBytes(Path.ChangeExtension(expect, ".img"));
            int got = 0;
            try
            {
                var r = ImageVerifier.Verify(img, keys);
                Assert.AreEqual(lines["key_id"], r.Block.KeyIdHex(), expect);
                Assert.AreEqual(uint.Parse(lines["image_size"]), r.Block.ImageSize, expect);
            }
            catch (OtaException e)
            {
                got = (int)e.Code;
            }
            Assert.AreEqual(want, got, Path.GetFileName(expect));
            n++;
        }
        Assert.IsTrue(n >= 30, "vectors found: " + n);
    }

    [TestMethod]
    public void DotNetSignaturesUseTheVectorKeyIds()
    {
        // The key id is SHA-256 of the uncompressed point: the same for .NET and the Python reference.
        using var key = SigningKeys.LoadPrivate(Path.Combine(Vectors, "test_key.pem"));
        string want = File.ReadAllLines(Path.Combine(Vectors, "good_full.expect")).First(l => l.StartsWith("key_id=")).Substring(7);
        Assert.AreEqual(want, SigningKeys.KeyIdHex(key));
        byte[] unsigned = File.ReadAllBytes(Path.Combine(Vectors, "unsigned_full.img"));
        byte[] signedImage = ImageSigner.Sign(unsigned, key);
        byte[] python = File.ReadAllBytes(Path.Combine(Vectors, "good_full.img"));
        Assert.AreEqual(python.Length, signedImage.Length);
        // Everything but the (randomized) DER signature, its length and the block CRC is identical.
        for (int i = 0; i < python.Length - SignatureBlock.Size + SignatureBlock.SignedLength; i++)
        {
            if (python[i] != signedImage[i]) Assert.Fail("byte " + i + " differs from the Python reference");
        }
    }
}
