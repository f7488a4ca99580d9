using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;

namespace Ota.Tools.Tests;

[TestClass]
public class PartitionsFlashImageTests
{
    [TestMethod]
    public void PartitionsCsvConvertsToTheReferenceBinaryAndBack()
    {
        using var c = new CliRunner();
        var r = c.Ok("partitions", CliRunner.Asset("partitions.csv"), "-o", "pt.bin");
        StringAssert.Contains(r.Out, "OK");
        CollectionAssert.AreEqual(File.ReadAllBytes(CliRunner.Asset("test-vectors", "partitions", "default.bin")), File.ReadAllBytes(c.P("pt.bin")));
        c.Ok("partitions", "pt.bin", "-o", "back.csv");
        c.Ok("partitions", "back.csv", "-o", "again.bin");
        CollectionAssert.AreEqual(File.ReadAllBytes(c.P("pt.bin")), File.ReadAllBytes(c.P("again.bin")));
        var j = System.Text.Json.JsonDocument.Parse(c.Ok("partitions", "pt.bin", "--json").Out).RootElement;
        Assert.AreEqual("esp-idf-binary", j.GetProperty("format").GetString());
        Assert.AreEqual("app_ota", j.GetProperty("staging").GetString());
        Assert.AreEqual(7, j.GetProperty("partitions").GetArrayLength());
    }

    [TestMethod]
    public void PartitionErrorsNameTheLineAndWarningsGoToStderr()
    {
        using var c = new CliRunner();
        string dir = CliRunner.Asset("test-vectors", "partitions");
        var r = c.Fails(703, "partitions", Path.Combine(dir, "err_overlap.csv"), "-o", "x.bin");
        StringAssert.Contains(r.Err, "line 4:");
        r = c.Fails(701, "partitions", Path.Combine(dir, "err_syntax.csv"));
        StringAssert.Contains(r.Err, "line 3:");
        c.Fails(705, "partitions", Path.Combine(dir, "err_staging_small.csv"));
        c.Fails(706, "partitions", Path.Combine(dir, "binerr_md5.bin"));
        r = c.Ok("partitions", Path.Combine(dir, "staging_warn.csv"));
        StringAssert.StartsWith(r.Err, "ota: warning: ");
        c.Ok("partitions", Path.Combine(dir, "wm_default.csv"), "-o", "wm.bin");
        var t = PartitionTable.ParseBinary(File.ReadAllBytes(c.P("wm.bin")), 0, 0xC00, Util.Md5Hash.Compute);
        Assert.AreEqual("app_ota", t.Staging!.Name);
        Assert.AreEqual(0x1E0000u, t.Staging.Offset);
        CollectionAssert.AreEquivalent(new[] { "wm.bin" }, c.Leftovers());
    }

    [TestMethod]
    public void FlashImageLaysOutEveryPart()
    {
        using var c = new CliRunner();
        byte[] boot = new byte[0x5000];
        new Random(5).NextBytes(boot);
        File.WriteAllBytes(c.P("boot.bin"), boot);
        byte[] deploy = new byte[70000];
        new Random(6).NextBytes(deploy);
        File.WriteAllBytes(c.P("deploy.bin"), deploy);
        c.Ok("sample-firmware", "--version", "1.4.0", "--size", "200K", "-o", "fw.bin");
        c.Ok("pack", "fw.bin", "-o", "fw_ota.img", "--version", "1.4.0", "--upd-no", "6", "--compress", "xz");
        c.Ok("pack", "fw.bin", "-o", "fw.img", "--version", "1.4.0", "--upd-no", "6");
        c.Ok("flash-image", "--partitions", CliRunner.Asset("partitions.csv"), "--bootloader", "boot.bin", "--app", "fw_ota.img", "--deploy", "deploy.bin", "-o", "flash.bin");
        byte[] f = File.ReadAllBytes(c.P("flash.bin"));
        byte[] fw = File.ReadAllBytes(c.P("fw.bin"));
        byte[] full = File.ReadAllBytes(c.P("fw.img"));
        Assert.AreEqual(0x400000, f.Length);
        Assert.IsTrue(f.AsSpan(0, 0x1000).ToArray().All(b => b == 0xFF));
        CollectionAssert.AreEqual(boot, f.AsSpan(0x1000, boot.Length).ToArray());
        Assert.IsTrue(f.AsSpan(0x6000, 0x2000).ToArray().All(b => b == 0xFF));
        var t = PartitionTable.ParseBinary(f, 0x8000, 0xC00, Util.Md5Hash.Compute);
        Assert.AreEqual(7, t.Count);
        CollectionAssert.AreEqual(fw, f.AsSpan(0x20000, fw.Length).ToArray());
        Assert.IsTrue(f.AsSpan(0x20000 + fw.Length, 0x1000).ToArray().All(b => b == 0xFF));
        var rec = OtaStateRecord.TryParse(f, 0x1E000)!;
        Assert.IsNotNull(rec);
        Assert.AreEqual(OtaState.Confirmed, rec.State);
        Assert.AreEqual(1u, rec.Seq);
        Assert.AreEqual(6u, rec.MaxUpdNo);
        CollectionAssert.AreEqual(full.AsSpan(0, 64).ToArray(), rec.InstalledHeaderBytes);
        Assert.IsTrue(f.AsSpan(0x1E100, 0x1F00).ToArray().All(b => b == 0xFF));
        CollectionAssert.AreEqual(deploy, f.AsSpan(0x2F0000, deploy.Length).ToArray());
        Assert.IsTrue(f.AsSpan(0x1E0000, 0x110000).ToArray().All(b => b == 0xFF), "staging stays erased");

        // an image for another address, a corrupt one, a bootloader too large: no output
        File.WriteAllText(c.P("pt2.csv"), "nvs,data,nvs,0x9000,0x5000\notadata,data,ota,0xE000,0x2000\napp,app,factory,0x10000,0x200000\napp_ota,app,ota_0,0x210000,0x150000\n");
        c.Fails(113, "flash-image", "--partitions", "pt2.csv", "--bootloader", "boot.bin", "--app", "fw.img", "-o", "f2.bin");
        byte[] bad = (byte[])full.Clone();
        bad[1000] ^= 1;
        File.WriteAllBytes(c.P("bad.img"), bad);
        c.Fails(108, "flash-image", "--partitions", CliRunner.Asset("partitions.csv"), "--bootloader", "boot.bin", "--app", "bad.img", "-o", "f2.bin");
        File.WriteAllBytes(c.P("bigboot.bin"), new byte[0x7001]);
        c.Fails(707, "flash-image", "--partitions", CliRunner.Asset("partitions.csv"), "--bootloader", "bigboot.bin", "--app", "fw.img", "-o", "f2.bin");
        Assert.IsFalse(File.Exists(c.P("f2.bin")));
    }
}
