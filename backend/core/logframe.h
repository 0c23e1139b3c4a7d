#pragma once

#include <QByteArray>
#include <QByteArrayView>

// The messages of /ws/pod-logs (docs/api.md, docs/architecture.md §4): one definition of their
// format, written by the server and read by the window and the tests.
namespace LogFrameWriter {
// Appends `utf8` as the contents of a JSON string (RFC 8259 §7 escaping, no quotes).
void appendEscaped(QByteArray &out, QByteArrayView utf8);
} // namespace LogFrameWriter
