namespace OtaCore.Push
{
    /// <summary>
    /// Announces the push receiver on the local network by multicast DNS (DNS-SD): service
    /// <c>_arduino._tcp</c> on the push port with the TXT keys the Arduino IDE reads (see
    /// <see cref="MdnsServiceInfo"/>). Device: over nanoFramework's MulticastDns; host simulator:
    /// a responder on a loopback port.
    /// </summary>
    public interface IMdnsAdvertiser
    {
        /// <summary>Starts answering queries for <paramref name="service"/>.</summary>
        void Start(MdnsServiceInfo service);

        /// <summary>Stops answering.</summary>
        void Stop();
    }
}
