#pragma once

#include "ansitext.h"
#include "loglevel.h"

#include <QColor>
#include <QHash>
#include <QSet>
#include <QAbstractListModel>
#include <QStringList>

#include <vector>

namespace pw::ui {

// The lines of one log view in a bounded ring buffer (default 100,000 lines): when full,
// the oldest lines go with beginRemoveRows at the front before the new batch is inserted
// with one beginInsertRows at the end. Lines arrive in batches; nothing is laid out per line.
class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int kDefaultCapacity = 100'000;
    enum class Kind { Line, Gap, Reconnect, Info };
    enum Role {
        KindRole = Qt::UserRole + 1, // int(Kind)
        SeqRole,                     // the server's line number, -1 for markers
        SpansRole,                   // QList<AnsiSpan> of the displayed text, as QVariant
        RawTextRole,                 // the text with its timestamp, without colour codes
        LevelRole,                   // int(LogLevel), classified when the line came
        SourceRole,                  // "pod/container" of a merged stream, else empty
        SourceColourRole,            // the source's QColor (LogColours::forSource)
        LineCountRole,               // lines of the displayed text (> 1 for pretty JSON)
    };

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    // Changing the capacity keeps the newest lines.
    void setCapacity(int lines);
    // Lines of the stream have "RFC3339 text" when the stream sends timestamps; the view can
    // show or hide that first word.
    void setShowTimestamps(bool show);
    bool showTimestamps() const { return m_showTimestamps; }
    void setTimestamped(bool timestamped) { m_timestamped = timestamped; }
    // JSON lines shown indented over several lines; other lines unchanged. The indented text
    // is made once per line (when switched on, or when a line comes while on), never on paint.
    void setPrettyJson(bool pretty);
    bool prettyJson() const { return m_prettyJson; }

    // Appends whole lines; `firstSeq` numbers them (-1: unnumbered); `source` names their
    // pod/container in a merged stream.
    void appendLines(const QStringList &lines, qint64 firstSeq = -1,
                     const QString &source = QString());
    void appendLines(QStringList &&lines, qint64 firstSeq = -1,
                     const QString &source = QString()); // moves the strings in
    void appendMarker(Kind kind, const QString &text);
    void clear();

    // Everything appended since construction, including lines the ring has dropped.
    qint64 totalAppended() const { return m_totalAppended; }
    qint64 droppedByRing() const { return m_droppedByRing; }
    QString displayText(int row) const;
    qint64 seqAt(int row) const;
    Kind kindAt(int row) const;
    LogLevel levelAt(int row) const;
    QString sourceAt(int row) const;

private:
    struct Entry {
        QString text; // plain text, timestamp included
        QList<AnsiSpan> spans;
        qint64 seq = -1;
        QString pretty;          // the indented JSON, only while prettyJson() is on
        quint16 stampLength = 0; // characters of "timestamp " at the front
        quint16 source = 0;      // 1 + index in m_sources; 0: none
        quint16 prettyLines = 0; // lines of `pretty`
        Kind kind = Kind::Line;
        LogLevel level = LogLevel::None;
        bool json = false; // looks like one JSON object (pretty-printable)
    };
    static constexpr int kMaxSources = 0xfffe; // past this, new sources share the last slot
    const Entry &at(int row) const { return m_ring[size_t((m_head + row) % m_ring.size())]; }
    void appendEntries(std::vector<Entry> &&entries);
    Entry makeLine(QString &&line, qint64 seq, quint16 source) const;
    quint16 sourceIndex(const QString &source);
    void makePretty(Entry &e) const;

    std::vector<Entry> m_ring; // m_ring.size() == capacity once allocated
    int m_capacity = kDefaultCapacity;
    int m_head = 0;  // index of row 0 in m_ring
    int m_count = 0; // rows held
    bool m_showTimestamps = true;
    bool m_timestamped = true;
    bool m_prettyJson = false;
    QStringList m_sources; // every source seen, for SourceRole (bounded by kMaxSources)
    QList<QColor> m_sourceColours;
    QSet<int> m_usedSlots; // palette places taken by m_sources
    QHash<QString, quint16> m_sourceIndex;
    qint64 m_totalAppended = 0;
    qint64 m_droppedByRing = 0;
};

} // namespace pw::ui

Q_DECLARE_METATYPE(QList<pw::ui::AnsiSpan>)
