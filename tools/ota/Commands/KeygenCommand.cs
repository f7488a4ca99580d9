using Ota.Tools.Signing;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota keygen`: a new ECDSA P-256 signing key (PEM), optionally its public key.</summary>
public sealed class KeygenCommand : ICommand
{
    public string Name => "keygen";
    public string Summary => "create an ECDSA P-256 signing key (PEM) and its public key";

    private const string Help =
        "usage: ota keygen -o KEY.pem [--pub PUB.pem] [--force]\n" +
        "  KEY.pem: PKCS#8 private key, created with mode 0600. PUB.pem: SubjectPublicKeyInfo, for\n" +
        "  `ota verify`, the device config and the bootloader build (-DOTA_SIGNING_PUBKEY=PUB.pem).\n" +
        "  Existing files are not overwritten without --force. Prints the key id (first 8 bytes of\n" +
        "  SHA-256 of the uncompressed public point) that signature blocks carry.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--output", "--pub" }, new[] { "--force", "--quiet" },
            new() { ["-o"] = "--output", ["-q"] = "--quiet" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 0) throw CliArgs.Usage("keygen takes no positional arguments (see ota keygen --help)");
        string output = a.Require("--output");
        string? pub = a.Get("--pub");
        bool force = a.Has("--force");
        if (pub != null && Path.GetFullPath(pub) == Path.GetFullPath(output)) throw CliArgs.Usage("--pub must differ from -o");
        if (!force)
        {
            foreach (string p in pub == null ? new[] { output } : new[] { output, pub })
            {
                if (File.Exists(p)) throw new OtaCore.OtaException(OtaCore.OtaError.Io, $"'{p}' exists; refusing to overwrite a key (use --force)");
            }
        }
        using var key = SigningKeys.Generate();
        KeyFile.Write(output, SigningKeys.PrivatePem(key), secret: true, overwrite: force);
        if (pub != null) KeyFile.Write(pub, SigningKeys.PublicPem(key), secret: false, overwrite: force);
        if (!a.Has("--quiet")) Console.WriteLine($"{output}: ECDSA P-256 key, key id {SigningKeys.KeyIdHex(key)}" + (pub != null ? $", public key {pub}" : ""));
        return 0;
    }
}
