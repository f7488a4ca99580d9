using OtaCore.Image;
using Ota.Tools.Xz;

namespace Ota.Tools.Tests;

/// <summary>
/// The RISC-V BCJ filter of the packer (issue 9) against the independent Python reference in
/// test-vectors/bcj (generate_bcj.py), round trips on real RISC-V firmware, and `ota pack --bcj`.
/// The C decoder reads the same vectors (bootloader-native/tests/test_bcj.c).
/// </summary>
[TestClass]
public class RiscVBcjTests
{
    private static byte[] Vector(string name) => File.ReadAllBytes(CliRunner.Asset("test-vectors", "bcj", name));

    private static readonly string[] RiscVFirmware =
    {
        "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        "/usr/lib/u-boot/qemu-riscv64/u-boot.bin",
    };

    [TestMethod]
    public void EncoderMatchesThePythonReference()
    {
        byte[] raw = Vector("riscv_mix.bin"), expected = Vector("riscv_mix.filtered");
        byte[] b = (byte[])raw.Clone();
        RiscVBcj.Encode(b, 0);
        CollectionAssert.AreEqual(expected, b);
        RiscVBcj.Decode(b, 0);
        CollectionAssert.AreEqual(raw, b);
    }

    [TestMethod]
    public void StreamsFromThePythonReferenceDecode()
    {
        byte[] raw = Vector("riscv_mix.bin");
        foreach (string name in new[] { "riscv_mix.xz", "riscv_mix_s4096.xz", "riscv_mix_sha.xz" })
        {
            byte[] xz = Vector(name);
            Assert.IsTrue(RiscVBcjXz.IsBcjStream(xz, 0, xz.Length), name);
            var res = XzDecoder.Decode(xz, 0, xz.Length, 1 << 20);
            CollectionAssert.AreEqual(raw, res.Output, name);
            Assert.AreEqual(xz.Length, res.StreamLength, name);
        }
        // a corrupted check is XZ_CHECK, as for any stream
        byte[] bad = Vector("riscv_mix.xz");
        int index = bad.Length - 12 - (int)((BitConverter.ToUInt32(bad, bad.Length - 8) + 1) * 4);
        bad[index - 1] ^= 0x01;
        var e = Assert.ThrowsExactly<OtaCore.OtaException>(() => XzDecoder.Decode(bad, 0, bad.Length, 1 << 20));
        Assert.AreEqual(OtaCore.OtaError.XzCheck, e.Code);
    }

    [TestMethod]
    public void RoundTripsOnAnyDataAndChangesRealRiscVCode()
    {
        var rnd = new Random(77);
        foreach (int len in new[] { 0, 1, 7, 8, 9, 4096, 100003 })
        {
            byte[] raw = new byte[len];
            rnd.NextBytes(raw);
            foreach (uint start in new uint[] { 0, 4096, 0xFFFFFFF0 })
            {
                byte[] b = (byte[])raw.Clone();
                RiscVBcj.Encode(b, start);
                RiscVBcj.Decode(b, start);
                CollectionAssert.AreEqual(raw, b, $"len {len} start {start}");
            }
        }
        int tested = 0;
        foreach (string path in RiscVFirmware)
        {
            if (!File.Exists(path)) continue;
            byte[] raw = File.ReadAllBytes(path);
            byte[] b = (byte[])raw.Clone();
            RiscVBcj.Encode(b, 0);
            int changed = 0;
            for (int i = 0; i < b.Length; i++) if (b[i] != raw[i]) changed++;
            Assert.IsTrue(changed > raw.Length / 100, $"{path}: only {changed} bytes converted");
            RiscVBcj.Decode(b, 0);
            CollectionAssert.AreEqual(raw, b, path);
            tested++;
        }
        if (tested == 0) Assert.Inconclusive("no RISC-V firmware package installed (opensbi, u-boot-qemu)");
    }

    [TestMethod]
    public void PackWithBcjMakesASmallerPackageThatInspectsValid()
    {
        string? fw = RiscVFirmware.FirstOrDefault(File.Exists);
        using var c = new CliRunner();
        if (fw == null)
        {
            File.WriteAllBytes(c.P("fw.bin"), Vector("riscv_mix.bin"));
            fw = c.P("fw.bin");
        }
        c.Ok("pack", fw, "-o", "plain.img", "--version", "1.0.0", "--compress", "xz");
        var r = c.Ok("pack", fw, "-o", "bcj.img", "--version", "1.0.0", "--compress", "xz", "--bcj", "riscv");
        StringAssert.Contains(r.Out, "bcj riscv");
        c.Ok("pack", fw, "-o", "full.img", "--version", "1.0.0");
        // the BCJ default dictionary is the non-BCJ one: the full image size, rounded up
        uint dict = XzEncoder.DefaultDictSize(new FileInfo(c.P("full.img")).Length);
        StringAssert.Contains(r.Out, $"dict {dict}");
        Assert.IsTrue(dict > 32768 || new FileInfo(c.P("full.img")).Length <= 32768);
        byte[] bcj = File.ReadAllBytes(c.P("bcj.img")), plain = File.ReadAllBytes(c.P("plain.img"));
        Assert.IsTrue(bcj.Length < plain.Length, $"bcj {bcj.Length} vs plain {plain.Length}");
        var h = ImageHeader.Parse(bcj, 0);
        Assert.IsTrue(RiscVBcjXz.IsBcjStream(bcj, 64, (int)h.ImgLen));
        // the package decodes to the full image (host decoder path: liblzma + BCJ)
        var res = XzDecoder.Decode(bcj, 64, (int)h.ImgLen, 64 << 20);
        CollectionAssert.AreEqual(File.ReadAllBytes(c.P("full.img")), res.Output);
        var inspect = c.Ok("inspect", "bcj.img");
        Assert.AreEqual(0, inspect.Exit);
    }

    [TestMethod]
    public void EveryPresetPacksWithLcPlusLpAtMostThree()
    {
        // the default bootloader decodes lc + lp <= 3 only (OTA_XZ_LCLP_MAX): read the LZMA2
        // properties byte of the first LZMA chunk of each package (props = (pb * 5 + lp) * 9 + lc)
        foreach (string preset in new[] { "0", "3", "6", "9", "9e" })
        {
            byte[] xz = XzEncoder.Compress(Vector("riscv_mix.bin"), preset, 65536);
            int at = 12 + (xz[12] + 1) * 4; // after the stream header and the block header
            Assert.IsTrue(xz[at] >= 0xE0, $"preset {preset}: first chunk 0x{xz[at]:X2} carries no properties");
            int props = xz[at + 5], lc = props % 9, lp = props / 9 % 5;
            Assert.IsTrue(lc + lp <= (int)XzEncoder.LcLpMax, $"preset {preset}: lc {lc} + lp {lp}");
        }
    }

    [TestMethod]
    public void BcjOptionErrors()
    {
        using var c = new CliRunner();
        File.WriteAllBytes(c.P("fw.bin"), Vector("riscv_mix.bin"));
        c.Fails(901, "pack", "fw.bin", "-o", "a.img", "--version", "1.0.0", "--compress", "xz", "--bcj", "arm");
        c.Fails(901, "pack", "fw.bin", "-o", "a.img", "--version", "1.0.0", "--bcj", "riscv");
        Assert.IsFalse(File.Exists(c.P("a.img")));
        // a dictionary beyond the bootloader's RAM window packs without a warning now (the
        // bootloader re-encodes BCJ history read back from flash)
        var r = c.Ok("pack", "fw.bin", "-o", "b.img", "--version", "1.0.0", "--compress", "xz", "--bcj", "riscv", "--dict", "1M");
        Assert.IsFalse(r.Err.Contains("warning"), r.Err);
        StringAssert.Contains(r.Out, "dict 1048576");
    }
}
