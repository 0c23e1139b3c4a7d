#include "logmodel.h"

#include "logcolours.h"

#include <QColor>

namespace pw::ui {

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent) {}

int LogModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : m_count;
}

QVariant LogModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(index.row());
    case RawTextRole:
        return e.text;
    case KindRole:
        return int(e.kind);
    case SeqRole:
        return e.seq;
    case SpansRole: {
        if (e.spans.isEmpty() || (m_prettyJson && !e.pretty.isEmpty()))
            return {};
        const int shift = m_showTimestamps ? 0 : e.stampLength;
        QList<AnsiSpan> spans;
        for (AnsiSpan s : e.spans) {
            const int end = s.start + s.length - shift;
            s.start = qMax(0, s.start - shift);
            s.length = end - s.start;
            if (s.length > 0)
                spans.append(s);
        }
        return QVariant::fromValue(spans);
    }
    case LevelRole:
        return int(e.level);
    case SourceRole:
        return e.source == 0 ? QString() : m_sources.at(e.source - 1);
    case SourceColourRole:
        return e.source == 0 ? QVariant() : QVariant(m_sourceColours.at(e.source - 1));
    case LineCountRole:
        return m_prettyJson && e.prettyLines > 1 ? int(e.prettyLines) : 1;
    case Qt::ForegroundRole:
        // Mid tones that read on light and dark themes (LogColours).
        if (e.kind == Kind::Gap)
            return LogColours::forLevel(LogLevel::Error);
        if (e.kind == Kind::Reconnect || e.kind == Kind::Info)
            return QColor(0x3b, 0x82, 0xf6);
        return {};
    default:
        return {};
    }
}

QString LogModel::displayText(int row) const {
    const Entry &e = at(row);
    if (m_prettyJson && !e.pretty.isEmpty())
        return m_showTimestamps && e.stampLength > 0 ? e.text.left(e.stampLength) + e.pretty
                                                     : e.pretty;
    if (m_showTimestamps || e.stampLength == 0)
        return e.text;
    return e.text.mid(e.stampLength);
}

qint64 LogModel::seqAt(int row) const {
    return at(row).seq;
}
LogModel::Kind LogModel::kindAt(int row) const {
    return at(row).kind;
}
LogLevel LogModel::levelAt(int row) const {
    return at(row).level;
}
QString LogModel::sourceAt(int row) const {
    return data(index(row), SourceRole).toString();
}

quint16 LogModel::sourceIndex(const QString &source) {
    if (source.isEmpty())
        return 0;
    const auto it = m_sourceIndex.constFind(source);
    if (it != m_sourceIndex.cend())
        return *it;
    if (m_sources.size() >= kMaxSources)
        return quint16(m_sources.size());
    // Its own colour, unless another source of this view has it: then the next free one (as
    // the web UI does), so that the sources of one view tell apart while there are colours.
    int slot = LogColours::sourceSlot(source);
    for (int i = 0; i < LogColours::paletteSize() && m_usedSlots.contains(slot); ++i)
        slot = (slot + 1) % LogColours::paletteSize();
    m_usedSlots.insert(slot);
    m_sources.append(source);
    m_sourceColours.append(LogColours::paletteColour(slot));
    const auto index = quint16(m_sources.size());
    m_sourceIndex.insert(source, index);
    return index;
}

void LogModel::makePretty(Entry &e) const {
    if (!e.json || !e.pretty.isEmpty())
        return;
    e.pretty = LogLevels::prettyJson(QStringView(e.text).mid(e.stampLength));
    e.prettyLines = quint16(qMin<qsizetype>(0xffff, e.pretty.count(u'\n') + 1));
}

void LogModel::setPrettyJson(bool pretty) {
    if (pretty == m_prettyJson)
        return;
    // Row heights change: a layout change, so views measure again.
    Q_EMIT layoutAboutToBeChanged();
    m_prettyJson = pretty;
    for (Entry &e : m_ring) {
        if (pretty) {
            makePretty(e);
        } else {
            e.pretty.clear();
            e.prettyLines = 0;
        }
    }
    Q_EMIT layoutChanged();
}

void LogModel::setCapacity(int lines) {
    lines = qMax(1, lines);
    if (lines == m_capacity)
        return;
    std::vector<Entry> kept;
    const int keep = qMin(m_count, lines);
    if (m_count > keep) {
        beginRemoveRows({}, 0, m_count - keep - 1);
        m_droppedByRing += m_count - keep;
    }
    kept.reserve(size_t(keep));
    for (int row = m_count - keep; row < m_count; ++row)
        kept.push_back(std::move(m_ring[size_t((m_head + row) % m_ring.size())]));
    const bool removed = m_count > keep;
    m_ring = std::move(kept);
    m_head = 0;
    m_count = keep;
    m_capacity = lines;
    if (removed)
        endRemoveRows();
}

void LogModel::setShowTimestamps(bool show) {
    if (show == m_showTimestamps)
        return;
    m_showTimestamps = show;
    if (m_count > 0)
        Q_EMIT dataChanged(index(0), index(m_count - 1), {Qt::DisplayRole, SpansRole});
}

LogModel::Entry LogModel::makeLine(QString &&line, qint64 seq, quint16 source) const {
    Entry e;
    e.seq = seq;
    e.source = source;
    if (AnsiText::hasEscape(line)) {
        AnsiText parsed = AnsiText::parse(line);
        e.text = std::move(parsed.plain);
        e.spans = std::move(parsed.spans);
    } else {
        e.text = std::move(line);
    }
    if (m_timestamped) {
        // "2026-11-27T10:20:01.123456789Z text": a timestamp is a first word that starts
        // with a digit and holds a 'T'. Only the first 40 characters are looked at.
        const qsizetype space = QStringView(e.text).left(40).indexOf(u' ');
        if (space >= 20 && e.text.at(0).isDigit() && e.text.at(10) == u'T')
            e.stampLength = quint16(space + 1);
    }
    // Classified once, here; painting reads the stored level.
    const QStringView text = QStringView(e.text).mid(e.stampLength);
    e.level = LogLevels::classify(text);
    e.json = LogLevels::looksLikeJson(text);
    if (m_prettyJson)
        makePretty(e);
    return e;
}

void LogModel::appendLines(const QStringList &lines, qint64 firstSeq, const QString &source) {
    appendLines(QStringList(lines), firstSeq, source);
}

void LogModel::appendLines(QStringList &&lines, qint64 firstSeq, const QString &source) {
    if (lines.isEmpty())
        return;
    const quint16 sourceId = sourceIndex(source);
    // Only the last `capacity` lines of a batch can survive it.
    const qsizetype skip = qMax<qsizetype>(0, lines.size() - m_capacity);
    std::vector<Entry> entries;
    entries.reserve(size_t(lines.size() - skip));
    for (qsizetype i = skip; i < lines.size(); ++i)
        entries.push_back(
            makeLine(std::move(lines[i]), firstSeq < 0 ? -1 : firstSeq + i, sourceId));
    m_totalAppended += skip;
    m_droppedByRing += skip;
    appendEntries(std::move(entries));
}

void LogModel::appendMarker(Kind kind, const QString &text) {
    Entry e;
    e.kind = kind;
    e.text = text;
    std::vector<Entry> entries;
    entries.push_back(std::move(e));
    appendEntries(std::move(entries));
}

void LogModel::appendEntries(std::vector<Entry> &&entries) {
    const int incoming = int(entries.size());
    if (incoming == 0)
        return;
    if (int(m_ring.size()) != m_capacity)
        m_ring.resize(size_t(m_capacity));
    // The wrap point: make room at the front first, as its own remove.
    const int overflow = m_count + incoming - m_capacity;
    if (overflow > 0) {
        // The slots of the removed rows are reused by the insert below (the ring is full, so
        // the new rows land exactly there): their old lines are freed by that move.
        beginRemoveRows({}, 0, overflow - 1);
        m_head = (m_head + overflow) % m_capacity;
        m_count -= overflow;
        m_droppedByRing += overflow;
        endRemoveRows();
    }
    beginInsertRows({}, m_count, m_count + incoming - 1);
    for (Entry &e : entries)
        m_ring[size_t((m_head + m_count++) % m_capacity)] = std::move(e);
    m_totalAppended += incoming;
    endInsertRows();
}

void LogModel::clear() {
    if (m_count == 0)
        return;
    beginResetModel();
    m_ring.clear();
    m_head = 0;
    m_count = 0;
    endResetModel();
}

} // namespace pw::ui
