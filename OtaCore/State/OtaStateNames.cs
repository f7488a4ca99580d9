namespace OtaCore.State
{
    /// <summary>Names of <see cref="OtaState"/> values as logs, reports and the bootloader's JSON print them.</summary>
    public static class OtaStateNames
    {
        /// <summary>Upper-case name of a state record state ("TRIAL"), or "STATE" + number for an unknown value.</summary>
        public static string Name(OtaState s)
        {
            switch (s)
            {
                case OtaState.None: return "NONE";
                case OtaState.Confirmed: return "CONFIRMED";
                case OtaState.Downloading: return "DOWNLOADING";
                case OtaState.Staged: return "STAGED";
                case OtaState.Installing: return "INSTALLING";
                case OtaState.Trial: return "TRIAL";
                case OtaState.Failed: return "FAILED";
                case OtaState.Unconfirmed: return "UNCONFIRMED";
                default: return "STATE" + ((int)s).ToString();
            }
        }
    }
}
