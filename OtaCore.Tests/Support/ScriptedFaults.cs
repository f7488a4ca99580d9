#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.Collections.Generic;
using Ota.Tools.Serve;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// An <see cref="IServeFaultHook"/> for the real `ota serve`: a list of rules (which request,
    /// what fault, how many times) and a log of every request the server saw (path, Range header).
    /// </summary>
    public sealed class ScriptedFaults : IServeFaultHook
    {
        private readonly object _lock = new object();
        private readonly List<Rule> _rules = new List<Rule>();
        private readonly List<string> _log = new List<string>();

        /// <summary>Applies <paramref name="fault"/> to the next <paramref name="times"/> requests matching <paramref name="match"/> (-1 = always).</summary>
        public void Add(Func<HttpRequestHead, bool> match, ServeFault fault, int times)
        {
            lock (_lock) _rules.Add(new Rule { Match = match, Fault = fault, Left = times });
        }

        /// <summary>Applies a fault to requests whose path ends with <paramref name="suffix"/>.</summary>
        public void OnPath(string suffix, ServeFault fault, int times)
        {
            Add(r => r.Path.EndsWith(suffix, StringComparison.Ordinal), fault, times);
        }

        /// <summary>Drops every rule.</summary>
        public void Clear()
        {
            lock (_lock) _rules.Clear();
        }

        /// <summary>"GET /path Range" of every request so far.</summary>
        public string[] Requests
        {
            get { lock (_lock) return _log.ToArray(); }
        }

        /// <summary>Range headers of requests for paths ending with <paramref name="suffix"/> ("-" = none).</summary>
        public string[] RangesFor(string suffix)
        {
            var list = new List<string>();
            lock (_lock)
            {
                foreach (string l in _log)
                {
                    string[] p = l.Split(' ');
                    if (p[1].EndsWith(suffix, StringComparison.Ordinal)) list.Add(p[2]);
                }
            }

            return list.ToArray();
        }

        /// <inheritdoc />
        public ServeFault Plan(HttpRequestHead request)
        {
            lock (_lock)
            {
                _log.Add(request.Method + " " + request.Path + " " + (request.Header("Range") ?? "-").Replace(' ', '_'));
                foreach (Rule r in _rules)
                {
                    if (r.Left != 0 && r.Match(request))
                    {
                        if (r.Left > 0) r.Left--;
                        return r.Fault;
                    }
                }
            }

            return null;
        }

        private sealed class Rule
        {
            public Func<HttpRequestHead, bool> Match;
            public ServeFault Fault;
            public int Left;
        }
    }
}
#endif
