using Ota.Tools.Signing;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota sign`: appends a signature block to a full image or xz package.</summary>
public sealed class SignCommand : ICommand
{
    public string Name => "sign";
    public string Summary => "sign an update image with an ECDSA P-256 key (appends the signature block)";

    private const string Help =
        "usage: ota sign IMG --key KEY.pem -o OUT [--slot 0-7]\n" +
        "  Sets img_attr.signature (and prikey_sel = --slot), recomputes hd_checksum and appends the\n" +
        "  256-byte signature block (docs/design.md). For an xz package the block also binds the\n" +
        "  SHA-256 and size of the decompressed full image. A signed IMG is re-signed with the new key.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--key", "--output", "--slot" }, new[] { "--quiet" },
            new() { ["-o"] = "--output", ["-q"] = "--quiet" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 1) throw CliArgs.Usage("sign needs exactly one IMG (see ota sign --help)");
        string keyPath = a.Require("--key");
        string output = a.Require("--output");
        long slot = a.GetNumber("--slot", 0);
        if (slot > 7) throw CliArgs.Usage("--slot must be 0..7");
        byte[] img = OutputFile.ReadAll(a.Positional[0]);
        using var key = SigningKeys.LoadPrivate(keyPath);
        byte[] signedImage = ImageSigner.Sign(img, key, (int)slot);
        OutputFile.WriteAtomic(output, signedImage);
        if (!a.Has("--quiet"))
        {
            var r = ImageVerifier.Verify(signedImage, new[] { key });
            Console.WriteLine($"{output}: {signedImage.Length} bytes, signed with key id {r.Block.KeyIdHex()}, " +
                $"image_size {r.Block.ImageSize}, image_sha256 {Convert.ToHexString(r.Block.ImageSha256).ToLowerInvariant()}");
        }
        return 0;
    }
}
