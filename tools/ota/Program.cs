using System.Reflection;
using OtaCore;

namespace Ota.Tools;

/// <summary>Entry point of the host CLI `ota`: dispatches to the <see cref="ICommand"/>s.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var commands = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ICommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Select(t => (ICommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("usage: ota COMMAND [ARGS]   (ota COMMAND --help for details)");
            foreach (var c in commands) Console.WriteLine($"  {c.Name,-12} {c.Summary}");
            return args.Length == 0 ? 2 : 0;
        }
        var cmd = commands.FirstOrDefault(c => c.Name == args[0]);
        if (cmd == null)
        {
            Console.Error.WriteLine("ota: " + OtaErrorNames.Format(OtaError.Usage, $"unknown command '{args[0]}' (try ota --help)"));
            return 2;
        }
        try
        {
            return cmd.Run(args.Skip(1).ToArray());
        }
        catch (OtaException e)
        {
            Console.Error.WriteLine("ota: " + e.Message);
            return e.Code == OtaError.Usage ? 2 : 1;
        }
    }
}
