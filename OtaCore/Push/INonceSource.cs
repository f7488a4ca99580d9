namespace OtaCore.Push
{
    /// <summary>
    /// Unpredictable bytes for login nonces (device: the ESP32 hardware RNG behind
    /// System.Random; host: the OS CSPRNG).
    /// </summary>
    public interface INonceSource
    {
        /// <summary>Fills <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        void Fill(byte[] buffer, int offset, int count);
    }
}
