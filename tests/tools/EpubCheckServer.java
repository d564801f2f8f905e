// EPUBCheck as a local service for the test suite: one JVM for the whole run instead of one per
// EPUB (the JVM start and the schema loading cost far more than checking a small book).
//
// Usage: java -cp epubcheck.jar tests/tools/EpubCheckServer.java PORT_FILE [IDLE_SECONDS]
// It listens on 127.0.0.1 (a free port, written to PORT_FILE once it accepts connections). A
// client sends the path of an EPUB and a newline; the server answers with EPUBCheck's JSON
// report (the one `--json -` prints) and closes the connection. Two checks run at a time (the
// test runner runs several tests per core, and a book-sized check should not hold up the small
// ones); each has its own EpubCheck and report, the library's shared state being its caches of
// compiled schemas.
// The server exits after IDLE_SECONDS (default 900) without a request, so a killed test run
// leaves nothing behind for long; tests/run also stops it when the suite ends.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        Path portFile = Path.of(args[0]);
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 900;
        ExecutorService checks = Executors.newFixedThreadPool(2);
        try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(idle * 1000);
            // Written whole, then renamed: a client never reads half a port number.
            Path tmp = Path.of(args[0] + ".tmp");
            Files.writeString(tmp, Integer.toString(server.getLocalPort()));
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                } catch (SocketTimeoutException e) {
                    break;
                }
                checks.submit(() -> {
                    try (client) {
                        serve(client);
                    } catch (Exception e) {
                        // One bad request (a client gone, an unreadable file) must not end the
                        // service.
                        System.err.println("epubcheck server: " + e);
                    }
                });
            }
        }
        checks.shutdownNow();
        System.exit(0);
    }

    static void serve(Socket client) throws Exception {
        BufferedReader in = new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String path = in.readLine();
        if (path == null) {
            return;
        }
        PrintWriter out = new PrintWriter(
                new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8));
        CheckingReport report = new CheckingReport(out, path);
        report.initialize();
        new EpubCheck(new File(path), report).doValidate();
        report.generate();
        out.flush();
    }
}
