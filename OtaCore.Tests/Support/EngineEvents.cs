#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System.Collections.Generic;
using OtaCore.Engine;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// The engine's StateChanged events as text, in order: the event name, or "Name:code" when it
    /// carries an error (for example "Abort:609").
    /// </summary>
    public static class EngineEvents
    {
        /// <summary>Subscribes to <paramref name="e"/> and returns the list the events are appended to.</summary>
        public static List<string> Record(OtaEngine e)
        {
            var events = new List<string>();
            e.StateChanged += (s, ev, err, detail) => events.Add(err == OtaError.Ok ? ev.ToString() : ev + ":" + (int)err);
            return events;
        }
    }
}
#endif
