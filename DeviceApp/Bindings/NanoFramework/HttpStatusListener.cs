using System;
using System.Net;
using System.Text;
using System.Threading;
using DeviceApp.Flow;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// Device binding of <see cref="IStatusListener"/>: System.Net.HttpListener of
    /// nanoFramework.System.Net.Http (the full package has the server API) on "http" and the
    /// configured port; every GET gets the handler's JSON (200, application/json), other methods
    /// 405. One background thread, one request at a time (the bench polls once a second).
    /// Not buildable on the CI host (no nanoFramework MSBuild there).
    /// </summary>
    public class HttpStatusListener : IStatusListener
    {
        private HttpListener _listener;
        private Thread _thread;
        private StatusRequestHandler _handler;

        /// <inheritdoc />
        public void Start(int port, StatusRequestHandler handler)
        {
            _handler = handler;
            _listener = new HttpListener("http", port);
            _listener.Start();
            _thread = new Thread(Serve);
            _thread.Start();
        }

        /// <inheritdoc />
        public void Stop()
        {
            HttpListener l = _listener;
            _listener = null;
            if (l != null)
            {
                l.Stop();
            }
        }

        private void Serve()
        {
            while (true)
            {
                HttpListener l = _listener;
                if (l == null || !l.IsListening)
                {
                    return;
                }

                HttpListenerContext context;
                try
                {
                    context = l.GetContext();
                }
                catch (Exception)
                {
                    continue; // stopped, or a broken connection: the loop checks the listener
                }

                if (context == null)
                {
                    continue;
                }

                try
                {
                    Answer(context);
                }
                catch (Exception)
                {
                    // The client went away; the next request is answered anyway.
                }
            }
        }

        private void Answer(HttpListenerContext context)
        {
            HttpListenerResponse response = context.Response;
            bool get = context.Request.HttpMethod == "GET";
            byte[] body = Encoding.UTF8.GetBytes(get ? _handler() + "\n" : "{\"error\": \"GET only\"}\n");
            response.StatusCode = get ? 200 : 405;
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body, 0, body.Length);
            response.Close();
        }
    }
}
