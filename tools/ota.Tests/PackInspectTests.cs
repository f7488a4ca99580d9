using System.Diagnostics;
using System.Text.Json;
using OtaCore.Image;

namespace Ota.Tools.Tests;

[TestClass]
public class PackInspectTests
{
    private static JsonElement InspectJson(CliRunner c, string img)
    {
        var r = c.Ok("inspect", img, "--json");
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [TestMethod]
    public void OneMegabyteRoundTripsInBothModes()
    {
        using var c = new CliRunner();
        var rnd = new Random(1234);
        byte[] fw = new byte[(1 << 20) + 3];
        rnd.NextBytes(fw);
        File.WriteAllBytes(c.P("fw.bin"), fw);
        c.Ok("pack", "fw.bin", "-o", "fw.img", "--version", "2.5.17", "--upd-no", "42", "--flag", "skip-upgrade-check");
        c.Ok("pack", "fw.bin", "-o", "fw_ota.img", "--version", "2.5.17", "--upd-no", "42", "--flag", "skip-upgrade-check", "--compress", "xz");

        byte[] full = File.ReadAllBytes(c.P("fw.img"));
        Assert.AreEqual(64 + (1 << 20) + 4, full.Length);
        for (int i = 0; i < fw.Length; i++) if (full[64 + i] != fw[i]) Assert.Fail("body byte " + i);
        Assert.AreEqual((byte)0xFF, full[^1]);
        var h = ImageHeader.Parse(full, 0);
        Assert.AreEqual((uint)(1 << 20) + 4, h.ImgLen);
        Assert.AreEqual(Crc32.Compute(full, 64, (int)h.ImgLen), h.OrgChecksum);
        Assert.AreEqual(0x20000u, h.ImgAddr);
        Assert.AreEqual(0x1E000u, h.ImgHeaderAddr);
        Assert.AreEqual(0x1E0000u, h.UpgradeImgAddr);

        var j = InspectJson(c, "fw.img");
        Assert.IsTrue(j.GetProperty("valid").GetBoolean());
        Assert.AreEqual("2.5.17", j.GetProperty("header").GetProperty("ver").GetString());
        Assert.AreEqual(42, j.GetProperty("header").GetProperty("upd_no").GetInt32());
        Assert.IsTrue(j.GetProperty("header").GetProperty("skip_upgrade_check").GetBoolean());

        var x = InspectJson(c, "fw_ota.img");
        Assert.IsTrue(x.GetProperty("valid").GetBoolean());
        Assert.AreEqual(1, x.GetProperty("header").GetProperty("compress_type").GetInt32());
        Assert.AreEqual(full.Length, x.GetProperty("xz").GetProperty("decoded_length").GetInt32());
        Assert.AreEqual(h.HdChecksum.ToString("X8"), x.GetProperty("inner").GetProperty("hd_checksum").GetString()![2..]);
        var o = ImageHeader.Parse(File.ReadAllBytes(c.P("fw_ota.img")), 0);
        Assert.IsTrue(o.Compressed);
        Assert.AreEqual(h.Flags, o.Flags);
        Assert.AreEqual(h.UpdNo, o.UpdNo);
        Assert.AreEqual(h.Version, o.Version);
    }

    [TestMethod]
    public void SystemXzDecodesTheCompressedBodyToTheFullImage()
    {
        using var c = new CliRunner();
        c.Ok("sample-firmware", "--version", "3.0.1", "--size", "300K", "-o", "fw.bin");
        c.Ok("pack", "fw.bin", "-o", "fw.img", "--version", "3.0.1");
        c.Ok("pack", "fw.bin", "-o", "fw_ota.img", "--version", "3.0.1", "--compress", "xz", "--preset", "6", "--dict", "64K");
        byte[] pkg = File.ReadAllBytes(c.P("fw_ota.img"));
        var h = ImageHeader.Parse(pkg, 0);
        File.WriteAllBytes(c.P("body.xz"), pkg.AsSpan(64, (int)h.ImgLen).ToArray());
        var psi = new ProcessStartInfo("xz", "-dc --single-stream body.xz") { WorkingDirectory = c.Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, p.StandardError.ReadToEnd());
        CollectionAssert.AreEqual(File.ReadAllBytes(c.P("fw.img")), ms.ToArray());
        // the stream header says CRC32 (check id 1) and the dictionary is the requested 64 KiB
        Assert.AreEqual((byte)0x01, pkg[64 + 7]);
        Assert.IsTrue(pkg.Length < File.ReadAllBytes(c.P("fw.img")).Length * 3 / 4, "sample firmware should compress");
    }

    [TestMethod]
    public void InspectReportsEveryVectorWithItsErrorCode()
    {
        using var c = new CliRunner();
        int n = 0;
        foreach (string expect in Directory.GetFiles(CliRunner.Asset("test-vectors", "images"), "*.expect"))
        {
            string img = Path.ChangeExtension(expect, ".img");
            int code = int.Parse(File.ReadAllLines(expect).First(l => l.StartsWith("error=")).Substring(6));
            if (code == 0) c.Ok("inspect", img);
            else c.Fails(code, "inspect", img);
            n++;
        }
        Assert.IsTrue(n >= 35, n + " vectors");
    }

    [TestMethod]
    public void ErrorsLeaveNoOutputAndKeepAnExistingFile()
    {
        using var c = new CliRunner();
        File.WriteAllBytes(c.P("big.bin"), new byte[0x1C0000 + 4]);
        File.WriteAllText(c.P("keep.img"), "previous");
        c.Fails(114, "pack", "big.bin", "-o", "keep.img", "--version", "1.0");
        Assert.AreEqual("previous", File.ReadAllText(c.P("keep.img")));
        c.Fails(114, "pack", "big.bin", "-o", "new.img", "--version", "1.0");
        c.Fails(902, "pack", "missing.bin", "-o", "new.img", "--version", "1.0");
        c.Fails(901, "pack", "big.bin", "-o", "new.img", "--version", "");
        c.Fails(901, "pack", "big.bin", "-o", "new.img", "--version", "1.0", "--compress", "zip");
        c.Fails(901, "pack", "big.bin", "-o", "new.img", "--version", "1.0", "--bogus");
        c.Fails(901, "pack", "big.bin", "--version", "1.0");
        c.Fails(901, "frobnicate");
        File.WriteAllBytes(c.P("small.bin"), new byte[100]);
        c.Fails(902, "pack", "small.bin", "-o", Path.Combine(c.Dir, "no-such-dir", "x.img"), "--version", "1.0");
        // fits the app partition (0x1C0000) but, incompressible, the xz package does not fit staging (0x110000)
        byte[] noise = new byte[0x180000];
        new Random(9).NextBytes(noise);
        File.WriteAllBytes(c.P("noise.bin"), noise);
        c.Ok("pack", "noise.bin", "-o", "noise.img", "--version", "1.0");
        var r = c.Fails(114, "pack", "noise.bin", "-o", "noise_ota.img", "--version", "1.0", "--compress", "xz", "--preset", "0");
        StringAssert.Contains(r.Err, "staging");
        CollectionAssert.AreEquivalent(new[] { "big.bin", "keep.img", "small.bin", "noise.bin", "noise.img" }, c.Leftovers());
    }

    [TestMethod]
    public void PartitionTableDecidesTheAddresses()
    {
        using var c = new CliRunner();
        File.WriteAllText(c.P("pt.csv"), "nvs,data,nvs,0x9000,0x5000\notadata,data,ota,0xE000,0x2000\napp,app,factory,0x10000,0x200000\napp_ota,app,ota_0,0x210000,0x150000\nfs,data,spiffs,0x360000,0xA0000\n");
        File.WriteAllBytes(c.P("fw.bin"), new byte[4096]);
        c.Ok("pack", "fw.bin", "-o", "a.img", "--version", "1", "--partitions", "pt.csv");
        var h = ImageHeader.Parse(File.ReadAllBytes(c.P("a.img")), 0);
        Assert.AreEqual(0x10000u, h.ImgAddr);
        Assert.AreEqual(0xE000u, h.ImgHeaderAddr);
        Assert.AreEqual(0x210000u, h.UpgradeImgAddr);
        Assert.AreEqual(ImageType.App, h.ImgType);
        c.Ok("pack", "fw.bin", "-o", "d.img", "--version", "1", "--partitions", "pt.csv", "--target", "fs");
        var d = ImageHeader.Parse(File.ReadAllBytes(c.P("d.img")), 0);
        Assert.AreEqual(0x360000u, d.ImgAddr);
        Assert.AreEqual(ImageType.Data, d.ImgType);
        c.Fails(113, "pack", "fw.bin", "-o", "x.img", "--version", "1", "--partitions", "pt.csv", "--target", "nope");
    }

    [TestMethod]
    public void SampleFirmwareIsDeterministicAndLooksLikeAnEsp32App()
    {
        using var c = new CliRunner();
        c.Ok("sample-firmware", "--version", "9.8.7", "--size", "64K", "-o", "a.bin");
        c.Ok("sample-firmware", "--version", "9.8.7", "--size", "64K", "-o", "b.bin");
        c.Ok("sample-firmware", "--version", "9.8.8", "--size", "64K", "-o", "c.bin");
        byte[] a = File.ReadAllBytes(c.P("a.bin")), b = File.ReadAllBytes(c.P("b.bin")), v = File.ReadAllBytes(c.P("c.bin"));
        Assert.AreEqual(65536, a.Length);
        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, v);
        Assert.AreEqual((byte)0xE9, a[0]);
        Assert.AreEqual((byte)4, a[1]);
        byte[] sha = System.Security.Cryptography.SHA256.HashData(a.AsSpan(0, a.Length - 32));
        CollectionAssert.AreEqual(sha, a.AsSpan(a.Length - 32).ToArray());
        Assert.IsTrue(System.Text.Encoding.ASCII.GetString(a).Contains("9.8.7"));
        Assert.AreEqual(0xABCD5432u, BitConverter.ToUInt32(a, 24 + 8));
    }
}
