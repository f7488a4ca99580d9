namespace OtaCore.Push
{
    /// <summary>
    /// Where a network push (ArduinoOTA protocol) is. Idle → (WaitAuth →) Connecting → Receiving →
    /// Done or Failed; Done and Failed accept a new invitation like Idle.
    /// </summary>
    public enum PushState
    {
        /// <summary>Waiting for an invitation datagram.</summary>
        Idle = 0,

        /// <summary>Invitation accepted, "AUTH nonce" sent; waiting for "200 cnonce response".</summary>
        WaitAuth = 1,

        /// <summary>"OK" sent; the device is to connect to the host's TCP port.</summary>
        Connecting = 2,

        /// <summary>Connected; file bytes are arriving and being staged.</summary>
        Receiving = 3,

        /// <summary>The whole file arrived, sizes and MD5 matched, the package is STAGED.</summary>
        Done = 4,

        /// <summary>The push ended with an error (see <see cref="PushReceiver.LastError"/>); the running image is untouched.</summary>
        Failed = 5,
    }
}
