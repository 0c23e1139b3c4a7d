#include "logcolours.h"

#include <array>

namespace pw::ui {

namespace LogColours {

QColor markerBackground(const QPalette &palette) {
    // A yellow tint of the view's own background: light on a light theme, dark on a dark one.
    const QColor base = palette.base().color();
    const QColor tint(0xf5, 0xc5, 0x42);
    const qreal a = 0.22;
    return QColor::fromRgbF(base.redF() * (1 - a) + tint.redF() * a,
                            base.greenF() * (1 - a) + tint.greenF() * a,
                            base.blueF() * (1 - a) + tint.blueF() * a);
}

QColor forLevel(LogLevel level) {
    switch (level) {
    case LogLevel::Error:
        return QColor(0xe0, 0x3e, 0x3e);
    case LogLevel::Warn:
        return QColor(0xe0, 0x8a, 0x10);
    case LogLevel::Debug:
    case LogLevel::Trace:
        return QColor(0x8c, 0x8c, 0x8c);
    case LogLevel::Info:
    case LogLevel::None:
        break;
    }
    return QColor();
}

namespace {
// Mid-lightness hues, distinct from the level colours (no pure red, orange or grey).
// Neighbours differ in hue, since a source whose colour is taken gets the next one.
constexpr std::array<QRgb, 8> kPalette{0x3b82f6, 0xdb2777, 0x16a34a, 0x9333ea,
                                       0x0891b2, 0x65a30d, 0x4f46e5, 0x0d9488};
} // namespace

int paletteSize() {
    return int(kPalette.size());
}

QColor paletteColour(int slot) {
    return QColor::fromRgb(kPalette[size_t(slot) % kPalette.size()]);
}

int sourceSlot(QStringView source) {
    // FNV-1a over the UTF-16 units: stable across runs (qHash is seeded per process).
    quint32 h = 2166136261u;
    for (QChar c : source) {
        h ^= c.unicode();
        h *= 16777619u;
    }
    // Mixed, so that names differing only at the end spread over the whole palette.
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return int(h % kPalette.size());
}

QColor forSource(QStringView source) {
    return paletteColour(sourceSlot(source));
}

} // namespace LogColours

} // namespace pw::ui
