using System.Collections;
using System.Text;
using OtaCore.Text;

namespace OtaCore.Json
{
    /// <summary>
    /// A minimal JSON (RFC 8259) reader for configuration files and update manifests, small enough
    /// for nanoFramework (which has no System.Text.Json). Values map to: object →
    /// <see cref="Hashtable"/> (string keys), array → <see cref="ArrayList"/>, string →
    /// <see cref="string"/>, integer → <see cref="long"/>, other number → <see cref="double"/>,
    /// true/false → <see cref="bool"/>, null → null. Malformed text throws
    /// <see cref="OtaException"/> with the code the caller chose and the character position.
    /// </summary>
    public class JsonReader
    {
        private const int MaxDepth = 16;

        private readonly string _text;
        private readonly OtaError _error;
        private readonly string _what;
        private int _pos;

        private JsonReader(string text, OtaError error, string what)
        {
            _text = text;
            _error = error;
            _what = what;
        }

        /// <summary>
        /// Parses one JSON value filling the whole <paramref name="text"/> (whitespace around it is
        /// allowed). Errors throw <see cref="OtaException"/> with <paramref name="error"/> and a
        /// detail starting with <paramref name="what"/> ("manifest: ...").
        /// </summary>
        public static object Parse(string text, OtaError error, string what)
        {
            if (text == null)
            {
                throw new OtaException(error, what + ": empty");
            }

            JsonReader r = new JsonReader(text, error, what);
            r.SkipSpace();
            object v = r.ReadValue(0);
            r.SkipSpace();
            if (r._pos != text.Length)
            {
                r.Fail("unexpected text after the value");
            }

            return v;
        }

        /// <summary>
        /// Parses text that must be a JSON object; see <see cref="Parse"/>.
        /// </summary>
        public static Hashtable ParseObject(string text, OtaError error, string what)
        {
            Hashtable h = Parse(text, error, what) as Hashtable;
            if (h == null)
            {
                throw new OtaException(error, what + ": not a JSON object");
            }

            return h;
        }

        private void Fail(string message)
        {
            throw new OtaException(_error, _what + ": " + message + " at character " + _pos);
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                {
                    return;
                }

                _pos++;
            }
        }

        private object ReadValue(int depth)
        {
            if (_pos >= _text.Length)
            {
                Fail("unexpected end");
            }

            if (depth > MaxDepth)
            {
                Fail("nested too deeply");
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth);
                case '[': return ReadArray(depth);
                case '"': return ReadString();
                case 't': ReadWord("true"); return true;
                case 'f': ReadWord("false"); return false;
                case 'n': ReadWord("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    Fail("unexpected character '" + c + "'");
                    return null;
            }
        }

        private void ReadWord(string word)
        {
            if (_pos + word.Length > _text.Length || _text.Substring(_pos, word.Length) != word)
            {
                Fail("expected " + word);
            }

            _pos += word.Length;
        }

        private Hashtable ReadObject(int depth)
        {
            Hashtable h = new Hashtable();
            _pos++;
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == '}')
            {
                _pos++;
                return h;
            }

            while (true)
            {
                SkipSpace();
                if (_pos >= _text.Length || _text[_pos] != '"')
                {
                    Fail("expected a string key");
                }

                string key = ReadString();
                if (h.Contains(key))
                {
                    Fail("duplicate key \"" + key + "\"");
                }

                SkipSpace();
                Expect(':');
                SkipSpace();
                h[key] = ReadValue(depth + 1);
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                Expect('}');
                return h;
            }
        }

        private ArrayList ReadArray(int depth)
        {
            ArrayList a = new ArrayList();
            _pos++;
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                return a;
            }

            while (true)
            {
                SkipSpace();
                a.Add(ReadValue(depth + 1));
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                Expect(']');
                return a;
            }
        }

        private void Expect(char c)
        {
            if (_pos >= _text.Length || _text[_pos] != c)
            {
                Fail("expected '" + c + "'");
            }

            _pos++;
        }

        private string ReadString()
        {
            _pos++;
            StringBuilder sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    Fail("unterminated string");
                }

                char c = _text[_pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c < ' ')
                {
                    _pos--;
                    Fail("control character in string");
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (_pos >= _text.Length)
                {
                    Fail("unterminated string");
                }

                char e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u': sb.Append(ReadHex4()); break;
                    default:
                        _pos--;
                        Fail("bad escape '\\" + e + "'");
                        break;
                }
            }
        }

        private char ReadHex4()
        {
            if (_pos + 4 > _text.Length)
            {
                Fail("short \\u escape");
            }

            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int d = HexDigit.Value(_text[_pos + i]);
                if (d < 0)
                {
                    Fail("bad \\u escape");
                }

                v = (v << 4) | d;
            }

            _pos += 4;
            return (char)v;
        }

        private object ReadNumber()
        {
            int start = _pos;
            bool integral = true;
            if (_text[_pos] == '-')
            {
                _pos++;
            }

            int intStart = _pos;
            SkipDigits();
            if (_pos == intStart)
            {
                Fail("bad number");
            }

            if (_text[intStart] == '0' && _pos - intStart > 1)
            {
                Fail("leading zero in number");
            }

            if (_pos < _text.Length && _text[_pos] == '.')
            {
                integral = false;
                _pos++;
                int fracStart = _pos;
                SkipDigits();
                if (_pos == fracStart)
                {
                    Fail("bad number");
                }
            }

            if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
            {
                integral = false;
                _pos++;
                if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
                {
                    _pos++;
                }

                int expStart = _pos;
                SkipDigits();
                if (_pos == expStart)
                {
                    Fail("bad number");
                }
            }

            if (integral && _pos - intStart <= 18)
            {
                long v = 0;
                for (int i = intStart; i < _pos; i++)
                {
                    v = v * 10 + (_text[i] - '0');
                }

                return _text[start] == '-' ? -v : v;
            }

            return ToDouble(start, _pos);
        }

        // Culture-free decimal conversion (double.Parse would follow the host's culture).
        private double ToDouble(int start, int end)
        {
            int i = start;
            bool negative = _text[i] == '-';
            if (negative)
            {
                i++;
            }

            double mantissa = 0;
            int exp10 = 0;
            while (i < end && _text[i] >= '0' && _text[i] <= '9')
            {
                mantissa = mantissa * 10 + (_text[i++] - '0');
            }

            if (i < end && _text[i] == '.')
            {
                i++;
                while (i < end && _text[i] >= '0' && _text[i] <= '9')
                {
                    mantissa = mantissa * 10 + (_text[i++] - '0');
                    exp10--;
                }
            }

            if (i < end)
            {
                i++;
                bool expNegative = _text[i] == '-';
                if (_text[i] == '-' || _text[i] == '+')
                {
                    i++;
                }

                int e = 0;
                while (i < end && e < 10000)
                {
                    e = e * 10 + (_text[i++] - '0');
                }

                exp10 += expNegative ? -e : e;
            }

            double v = mantissa;
            for (; exp10 > 0 && v < double.MaxValue; exp10--)
            {
                v *= 10;
            }

            for (; exp10 < 0 && v != 0; exp10++)
            {
                v /= 10;
            }

            return negative ? -v : v;
        }

        private void SkipDigits()
        {
            while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
            {
                _pos++;
            }
        }
    }
}
