// The config file parser (app/configfile.cpp) on any bytes, with the real key names. Beyond
// the sanitizers: every entry it accepts has a known key and a line number within the text,
// lines in order, and every failure says what was wrong.
#include "app/configfile.h"

#include <cstdlib>

using namespace pw::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList keys{
        QStringLiteral("listen"),         QStringLiteral("headless"),
        QStringLiteral("context"),        QStringLiteral("namespace"),
        QStringLiteral("allowed-origin"), QStringLiteral("notify-url"),
        QStringLiteral("log-level"),      QStringLiteral("harbor-prefix")};
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto entries = ConfigFile::parse(input, QStringLiteral("fuzz.conf"), keys);
    if (!entries.ok()) {
        if (!entries.error().startsWith(QStringLiteral("fuzz.conf:")))
            std::abort();
        return 0;
    }
    const qsizetype lines = input.count('\n') + 1;
    int previous = 0;
    for (const ConfigEntry &entry : entries.value()) {
        if (!keys.contains(entry.key) || entry.line <= previous || entry.line > lines)
            std::abort();
        previous = entry.line;
    }
    return 0;
}
