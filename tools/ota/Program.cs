namespace Ota.Tools;

/// <summary>Entry point of the host CLI `ota`.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("ota: E901 USAGE: no commands yet");
        return 2;
    }
}
