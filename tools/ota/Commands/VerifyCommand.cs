using System.Security.Cryptography;
using Ota.Tools.Signing;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota verify`: checks a signed image against one or more trusted public keys.</summary>
public sealed class VerifyCommand : ICommand
{
    public string Name => "verify";
    public string Summary => "verify a signed update image against trusted public keys";

    private const string Help =
        "usage: ota verify IMG --pub PUB.pem [--pub PUB2.pem]...\n" +
        "  Checks, as the device does: header, signature block, key id among the --pub keys, ECDSA\n" +
        "  P-256 signature, and (xz decoded) the full image against image_size/image_sha256.\n" +
        "  Exit 0 only when everything verifies; else the one-line error (E8xx for signatures).";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--pub" }, new[] { "--quiet" }, new() { ["-q"] = "--quiet" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 1) throw CliArgs.Usage("verify needs exactly one IMG (see ota verify --help)");
        if (a.GetAll("--pub").Count == 0) throw CliArgs.Usage("missing required option --pub");
        var keys = new List<ECDsa>();
        try
        {
            foreach (string p in a.GetAll("--pub")) keys.Add(SigningKeys.LoadPublic(p));
            byte[] img = OutputFile.ReadAll(a.Positional[0]);
            var r = ImageVerifier.Verify(img, keys);
            if (!a.Has("--quiet"))
            {
                Console.WriteLine($"{a.Positional[0]}: signature OK, key id {r.Block.KeyIdHex()}, version {r.Header.Version}, upd_no {r.Header.UpdNo}, " +
                    $"image_size {r.Block.ImageSize}, image_sha256 {Convert.ToHexString(r.Block.ImageSha256).ToLowerInvariant()}");
            }
            return 0;
        }
        finally
        {
            foreach (var k in keys) k.Dispose();
        }
    }
}
