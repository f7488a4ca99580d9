namespace OtaCore.Partitions
{
    /// <summary>ESP-IDF partition type and subtype numbers and their CSV names.</summary>
    public static class PartitionTypes
    {
        /// <summary>Type <c>app</c>.</summary>
        public const int App = 0x00;
        /// <summary>Type <c>data</c>.</summary>
        public const int Data = 0x01;
        /// <summary>App subtype <c>factory</c>.</summary>
        public const int Factory = 0x00;
        /// <summary>App subtype <c>ota_0</c> (ota_N = 0x10 + N).</summary>
        public const int Ota0 = 0x10;
        /// <summary>App subtype <c>test</c>.</summary>
        public const int Test = 0x20;
        /// <summary>Data subtype <c>ota</c> (the OTA state partition).</summary>
        public const int DataOta = 0x00;
        /// <summary>Data subtype <c>undefined</c>.</summary>
        public const int DataUndefined = 0x06;

        private static readonly string[] DataNames = { "ota", "phy", "nvs", "coredump", "nvs_keys", "efuse", "undefined" };
        private static readonly string[] DataHighNames = { "esphttpd", "fat", "spiffs", "littlefs" };

        /// <summary>The type number for a CSV word ("app", "data" or a number), or -1.</summary>
        public static int ParseType(string s)
        {
            if (s == "app") return App;
            if (s == "data") return Data;
            long v = PartitionTable.ParseNumber(s, false);
            return v >= 0 && v <= 0xFE ? (int)v : -1;
        }

        /// <summary>The subtype number for a CSV word (named for app/data, or a number), or -1.</summary>
        public static int ParseSubType(int type, string s)
        {
            if (type == App)
            {
                if (s == "factory") return Factory;
                if (s == "test") return Test;
                if (s.Length > 4 && s.Substring(0, 4) == "ota_")
                {
                    long n = PartitionTable.ParseNumber(s.Substring(4), false);
                    return n >= 0 && n < 16 ? Ota0 + (int)n : -1;
                }
            }
            else if (type == Data)
            {
                for (int i = 0; i < DataNames.Length; i++) if (s == DataNames[i]) return i;
                for (int i = 0; i < DataHighNames.Length; i++) if (s == DataHighNames[i]) return 0x80 + i;
            }

            long v = PartitionTable.ParseNumber(s, false);
            return v >= 0 && v <= 0xFE ? (int)v : -1;
        }

        /// <summary>The CSV word for a type ("app", "data" or "0x40").</summary>
        public static string TypeName(int type)
        {
            if (type == App) return "app";
            if (type == Data) return "data";
            return "0x" + type.ToString("X2");
        }

        /// <summary>The CSV word for a subtype of <paramref name="type"/> ("factory", "ota_1", "nvs" or "0x84").</summary>
        public static string SubTypeName(int type, int subType)
        {
            if (type == App)
            {
                if (subType == Factory) return "factory";
                if (subType == Test) return "test";
                if (subType >= Ota0 && subType < Ota0 + 16) return "ota_" + (subType - Ota0).ToString();
            }
            else if (type == Data)
            {
                if (subType >= 0 && subType < DataNames.Length) return DataNames[subType];
                if (subType >= 0x80 && subType < 0x80 + DataHighNames.Length) return DataHighNames[subType - 0x80];
            }

            return "0x" + subType.ToString("X2");
        }
    }
}
