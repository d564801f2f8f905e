// Validates many EPUB files in one Java process with the EPUBCheck library (one JVM start
// instead of one per file, which makes checking a fuzz corpus of hundreds of books feasible).
// Usage: java -cp epubcheck.jar fuzz/tools/EpubBatch.java FILE.epub...
// Prints "FILE errors E warnings W" for each file with a message (and the messages), then a
// total; exits 1 when any file has an error, a fatal error or a warning.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubBatch {
    public static void main(String[] args) {
        int bad = 0;
        for (String name : args) {
            DefaultReportImpl report = new DefaultReportImpl(name);
            new EpubCheck(new File(name), report).doValidate();
            int errors = report.getErrorCount() + report.getFatalErrorCount();
            int warnings = report.getWarningCount();
            if (errors + warnings > 0) {
                bad++;
                System.out.println(name + " errors " + errors + " warnings " + warnings);
            }
        }
        System.out.println("checked " + args.length + " EPUB files, " + bad + " with messages");
        System.exit(bad == 0 ? 0 : 1);
    }
}
