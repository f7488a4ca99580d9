namespace OtaCore.Push
{
    /// <summary>
    /// Constants of the ArduinoOTA push protocol (what espota.py and the Arduino IDE speak), see
    /// docs/design.md "Network push (ArduinoOTA)".
    /// </summary>
    public static class PushProtocol
    {
        /// <summary>Invitation command: flash the application firmware.</summary>
        public const int CommandFirmware = 0;

        /// <summary>Invitation command: write the filesystem/config partition.</summary>
        public const int CommandFilesystem = 100;

        /// <summary>Command word of the login answer "200 cnonce response".</summary>
        public const int CommandAuth = 200;

        /// <summary>The ArduinoOTA port of ESP32 devices (ESP8266 uses 8266).</summary>
        public const int DefaultPort = 3232;

        /// <summary>Reply accepting an invitation, a login, or the whole file.</summary>
        public const string ReplyOk = "OK";

        /// <summary>Prefix of the login challenge "AUTH nonce".</summary>
        public const string ReplyAuth = "AUTH ";

        /// <summary>Reply to a wrong login.</summary>
        public const string ReplyAuthFailed = "Authentication Failed";

        /// <summary>Prefix of an error reply: "ERROR E1005 PUSH_MD5: ...".</summary>
        public const string ReplyError = "ERROR ";

        /// <summary>Largest invitation or login datagram accepted, bytes.</summary>
        public const int MaxDatagram = 512;

        /// <summary>The mDNS service type ArduinoOTA devices advertise.</summary>
        public const string MdnsServiceType = "_arduino._tcp";

        /// <summary>"ERROR " + the formatted error ("E1005 PUSH_MD5: detail").</summary>
        public static string ErrorReply(OtaError code, string detail)
        {
            return ReplyError + OtaErrorNames.Format(code, detail);
        }
    }
}
