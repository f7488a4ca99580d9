namespace Ota.Tools;

/// <summary>
/// One `ota` sub-command. Program finds every implementation by reflection, so adding a command
/// is adding a file (one command per file, under tools/ota/Commands/).
/// </summary>
public interface ICommand
{
    /// <summary>The sub-command word ("pack").</summary>
    string Name { get; }

    /// <summary>One line for `ota --help`.</summary>
    string Summary { get; }

    /// <summary>Runs the command; returns the process exit code.</summary>
    int Run(string[] args);
}
