namespace OtaCore.Platform
{
    /// <summary>
    /// Cryptography done natively (mbedTLS on the device through InternalCall into
    /// bootloader-native/interop; the same C code over P/Invoke on the host). Streaming SHA-256 uses
    /// handles so several hashes may run at once; a handle is valid from
    /// <see cref="Sha256Begin"/> until <see cref="Sha256Finish"/>.
    /// </summary>
    public interface INativeServices
    {
        /// <summary>Starts a SHA-256 computation and returns its handle (&gt;= 0).</summary>
        int Sha256Begin();

        /// <summary>Feeds <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        void Sha256Update(int handle, byte[] data, int offset, int count);

        /// <summary>
        /// Writes the 32-byte digest into <paramref name="digest"/> at <paramref name="offset"/> and
        /// releases the handle.
        /// </summary>
        void Sha256Finish(int handle, byte[] digest, int offset);

        /// <summary>
        /// Verifies an ECDSA P-256 signature over a 32-byte hash.
        /// <paramref name="publicKey"/>: SEC1 uncompressed point (65 bytes, 0x04 || X || Y);
        /// <paramref name="signature"/>: ASN.1 DER (SEQUENCE of r, s), at most 72 bytes.
        /// Returns false for a bad signature or a malformed key/signature; never throws for those.
        /// </summary>
        bool VerifyEcdsaP256(byte[] publicKey, int publicKeyOffset, byte[] hash, int hashOffset,
            byte[] signature, int signatureOffset, int signatureLength);

        /// <summary>
        /// Starts an MD5 computation (network push: the ArduinoOTA protocol checks the pushed file
        /// and the login digest with MD5) and returns its handle (&gt;= 0).
        /// </summary>
        int Md5Begin();

        /// <summary>Feeds <paramref name="count"/> bytes at <paramref name="offset"/> to an MD5.</summary>
        void Md5Update(int handle, byte[] data, int offset, int count);

        /// <summary>
        /// Writes the 16-byte MD5 digest into <paramref name="digest"/> at <paramref name="offset"/>
        /// and releases the handle.
        /// </summary>
        void Md5Finish(int handle, byte[] digest, int offset);
    }
}
