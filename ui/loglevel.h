#pragma once

#include <QString>
#include <QStringView>

namespace pw::ui {

// The severity of a log line, read once when the line is appended (LogModel) and kept with it.
enum class LogLevel : quint8 { None, Trace, Debug, Info, Warn, Error };

namespace LogLevels {
// The level a line states: a JSON object's "level", "severity" or "lvl" member (words, or
// pino's numbers), `level=…`/`lvl=…`/`severity=…`, an upper-case word (ERROR, WARN, INFO…),
// or a word in brackets in any case ([warn]). Only the first 200 characters are looked at
// (as in the web UI).
// `text` is the line without its timestamp.
LogLevel classify(QStringView text);
// The level a word names (any case), None for other words.
LogLevel fromWord(QStringView word);
// True when the line looks like one JSON object ("{…}"); cheap, nothing is parsed.
bool looksLikeJson(QStringView text);
// The JSON object indented over several lines; empty when `text` is not one JSON object.
QString prettyJson(QStringView text);
} // namespace LogLevels

} // namespace pw::ui
