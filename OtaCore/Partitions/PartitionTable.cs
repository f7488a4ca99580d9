using System.Collections;
using OtaCore.Image;
using OtaCore.Text;

namespace OtaCore.Partitions
{
    /// <summary>
    /// A flash partition table: parsed from an ESP-IDF CSV (Name, Type, SubType, Offset, Size,
    /// Flags), a WinnerMicro CSV (name, offset, size, flag) or an ESP-IDF binary table, checked
    /// against docs/design.md section 2, and written back as CSV or binary.
    /// </summary>
    public class PartitionTable
    {
        /// <summary>Flash offset of the binary table.</summary>
        public const uint TableOffset = 0x8000;
        /// <summary>Length of the binary table area (entries, MD5 row, 0xFF padding).</summary>
        public const int BinaryLength = 0xC00;
        /// <summary>Length of one binary entry.</summary>
        public const int EntryLength = 32;
        /// <summary>Most entries a binary table holds (rows before the MD5 row, table &lt; 0xC00).</summary>
        public const int MaxEntries = BinaryLength / EntryLength - 2;
        /// <summary>The first offset a partition may use in an ESP-IDF layout (after the table sector).</summary>
        public const uint EspFirstOffset = 0x9000;

        private readonly ArrayList _entries = new ArrayList();
        private readonly ArrayList _warnings = new ArrayList();

        /// <summary>Creates an empty table (ESP-IDF format).</summary>
        public PartitionTable()
        {
            MinOffset = EspFirstOffset;
        }

        /// <summary>True when the table came from a WinnerMicro 4-column CSV.</summary>
        public bool IsWinnerMicro { get; private set; }

        /// <summary>Lowest offset a partition may start at (0x9000 for ESP-IDF, 0 for WinnerMicro).</summary>
        public uint MinOffset { get; set; }

        /// <summary>Number of entries.</summary>
        public int Count
        {
            get { return _entries.Count; }
        }

        /// <summary>Entry <paramref name="index"/>, in table order.</summary>
        public PartitionEntry this[int index]
        {
            get { return (PartitionEntry)_entries[index]; }
        }

        /// <summary>Warnings (strings) found by <see cref="Validate"/>, e.g. staging below 60 % of app.</summary>
        public ArrayList Warnings
        {
            get { return _warnings; }
        }

        /// <summary>The application partition: the app/factory entry, else the first app entry; null if none.</summary>
        public PartitionEntry App
        {
            get
            {
                PartitionEntry first = null;
                for (int i = 0; i < Count; i++)
                {
                    PartitionEntry e = this[i];
                    if (e.Type != PartitionTypes.App) continue;
                    if (e.SubType == PartitionTypes.Factory) return e;
                    if (first == null) first = e;
                }

                return first;
            }
        }

        /// <summary>The staging partition: the one named <c>app_ota</c>, else the first app/ota_0 that is not <see cref="App"/>; null if none.</summary>
        public PartitionEntry Staging
        {
            get
            {
                PartitionEntry byName = Find("app_ota");
                if (byName != null) return byName;
                PartitionEntry app = App;
                for (int i = 0; i < Count; i++)
                {
                    PartitionEntry e = this[i];
                    if (e != app && e.Type == PartitionTypes.App && e.SubType == PartitionTypes.Ota0) return e;
                }

                return null;
            }
        }

        /// <summary>The OTA state partition (first data/ota entry); null if none.</summary>
        public PartitionEntry OtaData
        {
            get
            {
                for (int i = 0; i < Count; i++)
                {
                    if (this[i].Type == PartitionTypes.Data && this[i].SubType == PartitionTypes.DataOta) return this[i];
                }

                return null;
            }
        }

        /// <summary>The entry named <paramref name="name"/>, or null.</summary>
        public PartitionEntry Find(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (this[i].Name == name) return this[i];
            }

            return null;
        }

        /// <summary>The entry that contains flash offset <paramref name="offset"/>, or null.</summary>
        public PartitionEntry FindByOffset(uint offset)
        {
            for (int i = 0; i < Count; i++)
            {
                if (offset >= this[i].Offset && offset < this[i].End) return this[i];
            }

            return null;
        }

        /// <summary>Appends an entry.</summary>
        public void Add(PartitionEntry entry)
        {
            _entries.Add(entry);
        }

        /// <summary>
        /// Parses a CSV table: the WinnerMicro format when the first row has 4 columns, else
        /// ESP-IDF. Syntax errors are <see cref="OtaError.PtSyntax"/> with the line number. Does
        /// not validate the layout (see <see cref="Validate"/>).
        /// </summary>
        public static PartitionTable ParseCsv(string text)
        {
            PartitionTable t = new PartitionTable();
            string[] lines = text.Split('\n');
            uint next = EspFirstOffset;
            bool first = true;
            for (int i = 0; i < lines.Length; i++)
            {
                int lineNo = i + 1;
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                string[] f = line.Split(',');
                for (int k = 0; k < f.Length; k++) f[k] = f[k].Trim();
                if (first)
                {
                    t.IsWinnerMicro = f.Length == 4;
                    if (t.IsWinnerMicro) t.MinOffset = 0;
                    first = false;
                }

                PartitionEntry e = t.IsWinnerMicro ? ParseWinnerMicroRow(f, lineNo) : ParseEspRow(f, lineNo, next);
                e.Line = lineNo;
                t.Add(e);
                next = (uint)e.End;
            }

            return t;
        }

        /// <summary>
        /// Parses an ESP-IDF binary table (<see cref="BinaryLength"/> bytes, or fewer if an end
        /// row comes first): 32-byte entries with magic AA 50, optionally the MD5 row (EB EB,
        /// 14 x FF, MD5 of the entries before it), then 0xFF. With <paramref name="md5"/> null the
        /// MD5 is not checked. Errors are <see cref="OtaError.PtBinary"/> with the entry index.
        /// </summary>
        public static PartitionTable ParseBinary(byte[] buf, int offset, int count, Md5Function md5)
        {
            PartitionTable t = new PartitionTable();
            int limit = count < BinaryLength ? count : BinaryLength;
            for (int row = 0; ; row++)
            {
                int o = offset + row * EntryLength;
                if (row * EntryLength + EntryLength > limit)
                {
                    throw new PartitionTableException(OtaError.PtBinary, 0, row, count < BinaryLength
                        ? "table ends after " + count.ToString() + " bytes, inside an entry and before an end marker"
                        : "no end marker within 0xC00 bytes");
                }

                if (IsAll(buf, o, EntryLength, 0xFF)) break;
                if (buf[o] == 0xEB && buf[o + 1] == 0xEB)
                {
                    if (!IsAll(buf, o + 2, 14, 0xFF)) throw new PartitionTableException(OtaError.PtBinary, 0, row, "malformed MD5 row");
                    if (md5 != null)
                    {
                        byte[] d = md5(buf, offset, row * EntryLength);
                        for (int k = 0; k < 16; k++)
                        {
                            if (d[k] != buf[o + 16 + k]) throw new PartitionTableException(OtaError.PtBinary, 0, row, "MD5 of the entries does not match");
                        }
                    }

                    break;
                }

                if (buf[o] != 0xAA || buf[o + 1] != 0x50)
                {
                    throw new PartitionTableException(OtaError.PtBinary, 0, row, "bad entry magic 0x" + buf[o].ToString("X2") + buf[o + 1].ToString("X2") + " (expected AA50)");
                }

                int n = 0;
                while (n < PartitionEntry.MaxNameLength && buf[o + 12 + n] != 0) n++;
                char[] name = new char[n];
                for (int k = 0; k < n; k++) name[k] = (char)buf[o + 12 + k];
                t.Add(new PartitionEntry(new string(name), buf[o + 2], buf[o + 3], ImageHeader.ReadU32(buf, o + 4),
                    ImageHeader.ReadU32(buf, o + 8), ImageHeader.ReadU32(buf, o + 28)));
            }

            return t;
        }

        /// <summary>
        /// Writes the binary table (exactly <see cref="BinaryLength"/> bytes: entries, MD5 row,
        /// 0xFF padding) at <paramref name="offset"/>. <paramref name="md5"/> is required.
        /// </summary>
        public void WriteBinary(byte[] buf, int offset, Md5Function md5)
        {
            if (Count > MaxEntries)
            {
                throw new PartitionTableException(OtaError.PtBinary, 0, -1, Count.ToString() + " entries, a binary table holds at most " + MaxEntries.ToString());
            }

            for (int i = 0; i < BinaryLength; i++) buf[offset + i] = 0xFF;
            for (int i = 0; i < Count; i++)
            {
                PartitionEntry e = this[i];
                int o = offset + i * EntryLength;
                buf[o] = 0xAA;
                buf[o + 1] = 0x50;
                buf[o + 2] = (byte)e.Type;
                buf[o + 3] = (byte)e.SubType;
                ImageHeader.WriteU32(buf, o + 4, e.Offset);
                ImageHeader.WriteU32(buf, o + 8, e.Size);
                for (int k = 0; k < 16; k++) buf[o + 12 + k] = k < e.Name.Length ? (byte)e.Name[k] : (byte)0;
                ImageHeader.WriteU32(buf, o + 28, e.Flags);
            }

            int m = offset + Count * EntryLength;
            buf[m] = 0xEB;
            buf[m + 1] = 0xEB;
            byte[] d = md5(buf, offset, Count * EntryLength);
            System.Array.Copy(d, 0, buf, m + 16, 16);
        }

        /// <summary>The table as ESP-IDF CSV text (named types/subtypes, hex offsets and sizes).</summary>
        public string ToCsv()
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            sb.Append("# Name, Type, SubType, Offset, Size, Flags\n");
            for (int i = 0; i < Count; i++)
            {
                PartitionEntry e = this[i];
                sb.Append(e.Name).Append(", ").Append(PartitionTypes.TypeName(e.Type)).Append(", ")
                  .Append(PartitionTypes.SubTypeName(e.Type, e.SubType)).Append(", 0x").Append(e.Offset.ToString("X"))
                  .Append(", 0x").Append(e.Size.ToString("X")).Append(", ").Append(FlagsText(e.Flags)).Append('\n');
            }

            return sb.ToString();
        }

        /// <summary>
        /// Checks the layout against a flash of <paramref name="flashSize"/> bytes, throwing the
        /// first problem (with the line of the entry at fault): per entry in order, name
        /// (PtSyntax), below <see cref="MinOffset"/> or beyond the flash (PtRange), alignment
        /// (PtAlign), duplicate name (PtDuplicate); then overlaps (PtOverlap, the later line);
        /// required app, staging and otadata (PtMissing); staging &lt; 40 % of app
        /// (PtStagingSmall). Staging &lt; 60 % of app adds a warning to <see cref="Warnings"/>.
        /// </summary>
        public void Validate(uint flashSize)
        {
            _warnings.Clear();
            for (int i = 0; i < Count; i++)
            {
                PartitionEntry e = this[i];
                if (e.Name.Length == 0 || e.Name.Length > PartitionEntry.MaxNameLength)
                {
                    throw new PartitionTableException(OtaError.PtSyntax, e.Line, IndexFor(e, i), "name '" + e.Name + "' must have 1 to 16 characters");
                }

                if (e.Size == 0) throw new PartitionTableException(OtaError.PtRange, e.Line, IndexFor(e, i), "'" + e.Name + "' has size 0");
                if (e.Offset < MinOffset)
                {
                    throw new PartitionTableException(OtaError.PtRange, e.Line, IndexFor(e, i), "'" + e.Name + "' at 0x" + e.Offset.ToString("X") + " is below 0x" + MinOffset.ToString("X") + " (bootloader and partition table)");
                }

                if (e.End > flashSize)
                {
                    throw new PartitionTableException(OtaError.PtRange, e.Line, IndexFor(e, i), "'" + e.Name + "' ends at 0x" + e.End.ToString("X") + ", beyond the 0x" + flashSize.ToString("X") + "-byte flash");
                }

                if (e.Offset % e.RequiredAlignment != 0)
                {
                    throw new PartitionTableException(OtaError.PtAlign, e.Line, IndexFor(e, i), "'" + e.Name + "' offset 0x" + e.Offset.ToString("X") + " is not a multiple of 0x" + e.RequiredAlignment.ToString("X"));
                }

                if (e.Size % 0x1000 != 0)
                {
                    throw new PartitionTableException(OtaError.PtAlign, e.Line, IndexFor(e, i), "'" + e.Name + "' size 0x" + e.Size.ToString("X") + " is not a multiple of 4 KiB");
                }

                for (int j = 0; j < i; j++)
                {
                    if (this[j].Name == e.Name) throw new PartitionTableException(OtaError.PtDuplicate, e.Line, IndexFor(e, i), "name '" + e.Name + "' already used on line " + this[j].Line.ToString());
                }
            }

            for (int i = 0; i < Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    PartitionEntry a = this[j], b = this[i];
                    if (a.Offset < b.End && b.Offset < a.End)
                    {
                        throw new PartitionTableException(OtaError.PtOverlap, b.Line, IndexFor(b, i), "'" + b.Name + "' (0x" + b.Offset.ToString("X") + "..0x" + b.End.ToString("X") + ") overlaps '" + a.Name + "' (0x" + a.Offset.ToString("X") + "..0x" + a.End.ToString("X") + ")");
                    }
                }
            }

            PartitionEntry app = App, staging = Staging, otadata = OtaData;
            if (app == null) throw new PartitionTableException(OtaError.PtMissing, 0, -1, "no app partition");
            if (staging == null) throw new PartitionTableException(OtaError.PtMissing, 0, -1, "no staging partition (app_ota, or an app/ota_0)");
            if (otadata == null) throw new PartitionTableException(OtaError.PtMissing, 0, -1, "no OTA state partition (data/ota, e.g. otadata)");
            if (otadata.Size < 0x2000) throw new PartitionTableException(OtaError.PtRange, otadata.Line, IndexOf(otadata), "'" + otadata.Name + "' must hold two 4 KiB sectors (size 0x2000)");
            ulong pct100 = (ulong)staging.Size * 100;
            if (pct100 < (ulong)app.Size * 40)
            {
                throw new PartitionTableException(OtaError.PtStagingSmall, staging.Line, IndexOf(staging), "staging '" + staging.Name + "' is " + Percent(staging.Size, app.Size) + " of app '" + app.Name + "', at least 40 % needed");
            }

            if (pct100 < (ulong)app.Size * 60)
            {
                _warnings.Add("staging '" + staging.Name + "' is " + Percent(staging.Size, app.Size) + " of app '" + app.Name + "': below 60 %, a poorly compressing update may not fit");
            }
        }

        /// <summary>
        /// Parses a number: decimal or 0x hex; with <paramref name="allowSuffix"/> a K or M suffix
        /// (x1024, x1048576; "4MB" and "4M" alike). Returns -1 when it is not a valid number.
        /// </summary>
        public static long ParseNumber(string s, bool allowSuffix)
        {
            if (s == null) return -1;
            s = s.Trim();
            long mul = 1;
            if (allowSuffix && s.Length > 1)
            {
                char last = s[s.Length - 1];
                if ((last == 'B' || last == 'b') && s.Length > 2)
                {
                    char prev = s[s.Length - 2];
                    if (prev == 'K' || prev == 'k' || prev == 'M' || prev == 'm')
                    {
                        s = s.Substring(0, s.Length - 1);
                        last = prev;
                    }
                }

                if (last == 'K' || last == 'k') mul = 1024;
                else if (last == 'M' || last == 'm') mul = 1024 * 1024;
                if (mul != 1) s = s.Substring(0, s.Length - 1).Trim();
            }

            int radix = 10, start = 0;
            if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            {
                radix = 16;
                start = 2;
            }

            if (s.Length == start || s.Length - start > 10) return -1;
            long v = 0;
            for (int i = start; i < s.Length; i++)
            {
                int d = HexDigit.Value(s[i]);
                if (d < 0 || d >= radix) return -1;
                v = v * radix + d;
            }

            v *= mul;
            return v > 0xFFFFFFFFL ? -1 : v;
        }

        private static PartitionEntry ParseEspRow(string[] f, int line, uint next)
        {
            if (f.Length < 5) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "expected Name, Type, SubType, Offset, Size[, Flags], got " + f.Length.ToString() + " columns");
            if (f.Length > 6) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "too many columns (" + f.Length.ToString() + ")");
            if (f[0].Length == 0 || f[0].Length > PartitionEntry.MaxNameLength) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "name '" + f[0] + "' must have 1 to 16 characters");
            int type = PartitionTypes.ParseType(f[1]);
            if (type < 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "unknown type '" + f[1] + "' (app, data or a number)");
            int sub = PartitionTypes.ParseSubType(type, f[2]);
            if (sub < 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "unknown subtype '" + f[2] + "' for type " + f[1]);
            uint align = type == PartitionTypes.App ? 0x10000u : 0x1000u;
            long offset;
            if (f[3].Length == 0)
            {
                offset = ((long)next + align - 1) / align * align;
            }
            else
            {
                offset = ParseNumber(f[3], true);
                if (offset < 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "bad offset '" + f[3] + "'");
            }

            long size = ParseNumber(f[4], true);
            if (size <= 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "bad size '" + f[4] + "'");
            uint flags = 0;
            if (f.Length == 6 && f[5].Length > 0)
            {
                string[] words = f[5].Split(':');
                for (int k = 0; k < words.Length; k++)
                {
                    string w = words[k].Trim();
                    if (w == "encrypted") flags |= PartitionEntry.FlagEncrypted;
                    else if (w == "readonly") flags |= PartitionEntry.FlagReadOnly;
                    else throw new PartitionTableException(OtaError.PtSyntax, line, -1, "unknown flag '" + w + "' (encrypted, readonly)");
                }
            }

            if (offset + size > 0xFFFFFFFFL) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "offset + size exceeds 32 bits");
            return new PartitionEntry(f[0], type, sub, (uint)offset, (uint)size, flags);
        }

        private static PartitionEntry ParseWinnerMicroRow(string[] f, int line)
        {
            if (f.Length != 4) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "expected name, offset, size, flag (WinnerMicro), got " + f.Length.ToString() + " columns");
            if (f[0].Length == 0 || f[0].Length > PartitionEntry.MaxNameLength) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "name '" + f[0] + "' must have 1 to 16 characters");
            long offset = ParseNumber(f[1], true);
            if (offset < 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "bad offset '" + f[1] + "'");
            long size = ParseNumber(f[2], true);
            if (size <= 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "bad size '" + f[2] + "'");
            if (ParseNumber(f[3], false) < 0) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "bad flag '" + f[3] + "'");
            if (offset + size > 0xFFFFFFFFL) throw new PartitionTableException(OtaError.PtSyntax, line, -1, "offset + size exceeds 32 bits");
            int type = PartitionTypes.Data, sub = PartitionTypes.DataUndefined;
            string n = f[0];
            if (n == "app") { type = PartitionTypes.App; sub = PartitionTypes.Factory; }
            else if (n == "app_ota") { type = PartitionTypes.App; sub = PartitionTypes.Ota0; }
            else if (n == "otadata" || n == "ota_data") { sub = PartitionTypes.DataOta; }
            else if (n == "nvs") { sub = 0x02; }
            return new PartitionEntry(n, type, sub, (uint)offset, (uint)size, 0);
        }

        private int IndexOf(PartitionEntry e)
        {
            for (int i = 0; i < Count; i++)
            {
                if (this[i] == e) return e.Line > 0 ? -1 : i;
            }

            return -1;
        }

        private static int IndexFor(PartitionEntry e, int i)
        {
            return e.Line > 0 ? -1 : i;
        }

        private static string Percent(uint part, uint whole)
        {
            ulong tenths = ((ulong)part * 1000 + whole / 2) / whole;
            return (tenths / 10).ToString() + "." + (tenths % 10).ToString() + " %";
        }

        private static string FlagsText(uint flags)
        {
            string s = "";
            if ((flags & PartitionEntry.FlagEncrypted) != 0) s = "encrypted";
            if ((flags & PartitionEntry.FlagReadOnly) != 0) s = s.Length > 0 ? s + ":readonly" : "readonly";
            return s;
        }

        private static bool IsAll(byte[] b, int o, int n, byte v)
        {
            for (int i = 0; i < n; i++)
            {
                if (b[o + i] != v) return false;
            }

            return true;
        }
    }
}
