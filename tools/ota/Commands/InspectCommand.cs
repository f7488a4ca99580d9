using System.Text.Json;
using OtaCore;
using OtaCore.Image;
using Ota.Tools.Images;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota inspect`: every header field, both CRCs, for xz the decoded stream and the inner image.</summary>
public sealed class InspectCommand : ICommand
{
    public string Name => "inspect";
    public string Summary => "show and verify every field of an update image (xz: stream and inner image too)";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, Array.Empty<string>(), new[] { "--json" });
        if (a.Help) { Console.WriteLine("usage: ota inspect IMG [--json]\n  Exit 0 only when the image is fully valid; else the one-line error on stderr."); return 0; }
        if (a.Positional.Count != 1) throw CliArgs.Usage("inspect needs exactly one IMG");
        byte[] img = OutputFile.ReadAll(a.Positional[0]);
        var r = ImageInspector.Inspect(img);
        if (a.Has("--json")) Console.WriteLine(Json(img, r)); else Text(img, r);
        if (r.Error != null) throw r.Error;
        return 0;
    }

    private static Dictionary<string, object?> Fields(ImageHeader h, uint headerCrc, uint? bodyCrc)
    {
        return new Dictionary<string, object?>
        {
            ["magic_no"] = $"0x{h.MagicNo:X8}",
            ["img_attr"] = $"0x{h.Attr:X8}",
            ["img_type"] = (int)h.ImgType,
            ["code_encrypt"] = (h.Attr & ImageAttr.CodeEncrypt) != 0,
            ["prikey_sel"] = h.PrikeySel,
            ["signature"] = h.Signed,
            ["gzip"] = (h.Attr & ImageAttr.Gzip) != 0,
            ["psram_io"] = (h.Attr & ImageAttr.PsramIo) != 0,
            ["erase_block_en"] = h.EraseBlockEnable,
            ["erase_always"] = h.EraseAlways,
            ["compress_type"] = h.CompressType,
            ["img_addr"] = $"0x{h.ImgAddr:X8}",
            ["img_len"] = h.ImgLen,
            ["img_header_addr"] = $"0x{h.ImgHeaderAddr:X8}",
            ["upgrade_img_addr"] = $"0x{h.UpgradeImgAddr:X8}",
            ["org_checksum"] = $"0x{h.OrgChecksum:X8}",
            ["body_crc"] = bodyCrc is { } b ? $"0x{b:X8}" : null,
            ["upd_no"] = h.UpdNo,
            ["ver"] = h.Version,
            ["flags"] = $"0x{h.Flags:X8}",
            ["log_level"] = h.LogLevel,
            ["skip_esc_check"] = h.SkipEscCheck,
            ["skip_upgrade_check"] = h.SkipUpgradeCheck,
            ["skip_integrity_check"] = h.SkipIntegrityCheck,
            ["reserved"] = $"0x{h.Reserved:X8}",
            ["next"] = h.Next,
            ["hd_checksum"] = $"0x{h.HdChecksum:X8}",
            ["header_crc"] = $"0x{headerCrc:X8}",
        };
    }

    private static string Json(byte[] img, ImageInspector r)
    {
        var root = new Dictionary<string, object?>
        {
            ["file_length"] = img.Length,
            ["valid"] = r.Error == null,
            ["error"] = r.Error == null ? null : new Dictionary<string, object?> { ["code"] = (int)r.Error.Code, ["name"] = OtaErrorNames.Name(r.Error.Code), ["message"] = r.Error.Message },
            ["header"] = r.Raw == null ? null : Fields(r.Raw, r.HeaderCrc, r.BodyCrc),
        };
        if (r.Signature is { } sig)
        {
            root["signature"] = new Dictionary<string, object?>
            {
                ["algorithm"] = sig.Algorithm,
                ["key_id"] = sig.KeyIdHex(),
                ["image_size"] = sig.ImageSize,
                ["image_sha256"] = Convert.ToHexString(sig.ImageSha256).ToLowerInvariant(),
                ["der_length"] = sig.Signature.Length,
            };
        }
        if (r.FullImage != null)
        {
            root["xz"] = new Dictionary<string, object?> { ["stream_length"] = r.XzStreamLength, ["decoded_length"] = r.FullImage.Length };
            if (r.Inner != null) root["inner"] = Fields(r.Inner, r.InnerHeaderCrc, r.InnerBodyCrc);
        }
        return JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Text(byte[] img, ImageInspector r)
    {
        Console.WriteLine($"file length        {img.Length}");
        if (r.Raw != null) Print("", r.Raw, r.HeaderCrc, r.BodyCrc);
        if (r.Signature is { } sig)
        {
            Console.WriteLine($"signature          ECDSA P-256/SHA-256, key id {sig.KeyIdHex()}, DER {sig.Signature.Length} bytes (not verified: ota verify --pub)");
            Console.WriteLine($"signed image       {sig.ImageSize} bytes, sha256 {Convert.ToHexString(sig.ImageSha256).ToLowerInvariant()}");
        }
        if (r.FullImage != null)
        {
            Console.WriteLine($"xz stream          {r.XzStreamLength} bytes -> {r.FullImage.Length} bytes ({100.0 * r.XzStreamLength / r.FullImage.Length:F1} %)");
            if (r.Inner != null) Print("inner ", r.Inner, r.InnerHeaderCrc, r.InnerBodyCrc);
        }
        Console.WriteLine(r.Error == null ? "result             OK" : "result             INVALID");
    }

    private static void Print(string p, ImageHeader h, uint hcrc, uint? bcrc)
    {
        string ok(bool b) => b ? "ok" : "MISMATCH";
        Console.WriteLine($"{p}magic_no           0x{h.MagicNo:X8} {(h.MagicNo == ImageHeader.Magic ? "ok" : "BAD")}");
        Console.WriteLine($"{p}img_attr           0x{h.Attr:X8} (type {(int)h.ImgType}, compress {h.CompressType}, signature {(h.Signed ? 1 : 0)}, prikey_sel {h.PrikeySel}, erase_block_en {(h.EraseBlockEnable ? 1 : 0)}, erase_always {(h.EraseAlways ? 1 : 0)})");
        Console.WriteLine($"{p}img_addr           0x{h.ImgAddr:X8}");
        Console.WriteLine($"{p}img_len            {h.ImgLen}");
        Console.WriteLine($"{p}img_header_addr    0x{h.ImgHeaderAddr:X8}");
        Console.WriteLine($"{p}upgrade_img_addr   0x{h.UpgradeImgAddr:X8}");
        Console.WriteLine($"{p}org_checksum       0x{h.OrgChecksum:X8} {(bcrc is { } b ? "(body 0x" + b.ToString("X8") + " " + ok(b == h.OrgChecksum) + ")" : "(body missing)")}");
        Console.WriteLine($"{p}upd_no             {h.UpdNo}");
        Console.WriteLine($"{p}ver                {h.Version}");
        Console.WriteLine($"{p}flags              0x{h.Flags:X8} (log_level {h.LogLevel}, skip_esc_check {(h.SkipEscCheck ? 1 : 0)}, skip_upgrade_check {(h.SkipUpgradeCheck ? 1 : 0)}, skip_integrity_check {(h.SkipIntegrityCheck ? 1 : 0)})");
        Console.WriteLine($"{p}reserved           0x{h.Reserved:X8}");
        Console.WriteLine($"{p}next               0x{h.Next:X8}");
        Console.WriteLine($"{p}hd_checksum        0x{h.HdChecksum:X8} (header 0x{hcrc:X8} {ok(hcrc == h.HdChecksum)})");
    }
}
