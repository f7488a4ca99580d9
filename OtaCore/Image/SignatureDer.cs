namespace OtaCore.Image
{
    /// <summary>
    /// Strict check of an ECDSA P-256 signature in ASN.1 DER: <c>SEQUENCE { INTEGER r, INTEGER s }</c>
    /// with short-form lengths, minimal positive integers (a leading 0x00 only before a byte with
    /// the high bit set), r and s not zero and at most 32 significant bytes, nothing after the
    /// sequence. The C verifier (ota_sig_der.c) applies the same rules, so a signature has one
    /// encoding only.
    /// </summary>
    public static class SignatureDer
    {
        /// <summary>Largest significant length of r or s (P-256 order is 32 bytes).</summary>
        public const int MaxScalarLength = 32;

        /// <summary>Returns null when the <paramref name="count"/> bytes at <paramref name="offset"/> are a strict DER signature, else what is wrong.</summary>
        public static string Check(byte[] der, int offset, int count)
        {
            if (der == null || offset < 0 || count < 0 || der.Length - offset < count) return "out of range";
            if (count < 2 || der[offset] != 0x30) return "not a DER SEQUENCE";
            int seqLen = der[offset + 1];
            if ((seqLen & 0x80) != 0) return "long-form SEQUENCE length";
            if (seqLen != count - 2) return "SEQUENCE length " + seqLen.ToString() + " does not match sig_len " + count.ToString();
            int pos = offset + 2;
            int end = offset + count;
            string p = CheckInteger(der, ref pos, end, "r");
            if (p != null) return p;
            p = CheckInteger(der, ref pos, end, "s");
            if (p != null) return p;
            if (pos != end) return "bytes after the two INTEGERs";
            return null;
        }

        /// <summary>
        /// Copies the integer at <paramref name="pos"/> as 32 big-endian bytes into <paramref name="out32"/>
        /// (for tools that need r || s); the DER must have passed <see cref="Check"/>.
        /// </summary>
        public static void ReadScalar(byte[] der, ref int pos, byte[] out32, int outOffset)
        {
            int len = der[pos + 1];
            int start = pos + 2;
            pos = start + len;
            while (len > 0 && der[start] == 0)
            {
                start++;
                len--;
            }

            for (int i = 0; i < MaxScalarLength; i++) out32[outOffset + i] = 0;
            System.Array.Copy(der, start, out32, outOffset + MaxScalarLength - len, len);
        }

        private static string CheckInteger(byte[] der, ref int pos, int end, string name)
        {
            if (end - pos < 2 || der[pos] != 0x02) return name + " is not a DER INTEGER";
            int len = der[pos + 1];
            if ((len & 0x80) != 0) return name + " has a long-form length";
            if (len == 0 || end - pos - 2 < len) return name + " length " + len.ToString() + " is out of range";
            int v = pos + 2;
            if ((der[v] & 0x80) != 0) return name + " is negative";
            if (der[v] == 0 && len > 1 && (der[v + 1] & 0x80) == 0) return name + " is not minimally encoded";
            int significant = der[v] == 0 ? len - 1 : len;
            if (significant > MaxScalarLength) return name + " is longer than 32 bytes";
            bool zero = true;
            for (int i = 0; i < len; i++)
            {
                if (der[v + i] != 0) zero = false;
            }

            if (zero) return name + " is zero";
            pos = v + len;
            return null;
        }
    }
}
