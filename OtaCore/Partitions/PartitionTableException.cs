namespace OtaCore.Partitions
{
    /// <summary>
    /// A partition table error (codes 701..708) that knows where it is: the 1-based CSV line, or
    /// the 0-based entry index of a binary table.
    /// </summary>
    public class PartitionTableException : OtaException
    {
        /// <summary>Creates the error; <paramref name="line"/> 0 and <paramref name="entryIndex"/> -1 mean "not tied to one".</summary>
        public PartitionTableException(OtaError code, int line, int entryIndex, string detail)
            : base(code, (line > 0 ? "line " + line.ToString() + ": " : (entryIndex >= 0 ? "entry " + entryIndex.ToString() + ": " : "")) + detail)
        {
            Line = line;
            EntryIndex = entryIndex;
        }

        /// <summary>1-based line of the CSV input, 0 when the error is not tied to a line.</summary>
        public int Line { get; private set; }

        /// <summary>0-based entry (32-byte row) of a binary table, -1 when not applicable.</summary>
        public int EntryIndex { get; private set; }
    }
}
