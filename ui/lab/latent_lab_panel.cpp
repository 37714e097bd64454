#include "latent_lab_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "image_view.h"
#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {
namespace {
constexpr int kSliderSteps = 100;  // t = position / 100
}

LatentLabPanel::LatentLabPanel(LatentLab* lab,
                               std::function<std::pair<QString, at::Tensor>()> currentResult,
                               QWidget* parent)
    : QWidget(parent),
      lab_(lab),
      currentResult_(std::move(currentResult)),
      help_(new QLabel(this)),
      mode_(new QComboBox(this)),
      slider_(new QSlider(Qt::Horizontal, this)),
      tLabel_(new QLabel(this)),
      editList_(new QListWidget(this)),
      bits_(new QComboBox(this)),
      export_(new QPushButton(this)),
      status_(new QLabel(this)),
      decodedTitle_(new QLabel(this)),
      differenceTitle_(new QLabel(this)),
      decoded_(new ImageView(this)),
      difference_(new ImageView(this)) {
    setObjectName(QStringLiteral("latentLabPanel"));
    help_->setWordWrap(true);
    slider_->setRange(0, kSliderSteps);
    slider_->setObjectName(QStringLiteral("latentLabSlider"));
    mode_->addItems({QString(), QString()});
    bits_->addItems({QString(), QString()});
    editList_->setMaximumHeight(110);
    decoded_->setMinimumSize(200, 200);
    difference_->setMinimumSize(200, 200);

    for (QLabel* label : {status_, decodedTitle_, differenceTitle_})
        label->setWordWrap(true);
    auto* controlsBox = new QWidget(this);
    controlsBox->setMaximumWidth(420);
    auto* controls = new QVBoxLayout(controlsBox);
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(help_);
    controls->addWidget(makeInputRow(LatentLab::A));
    controls->addWidget(makeInputRow(LatentLab::B));
    auto* blend = new QHBoxLayout;
    blend->addWidget(mode_);
    blend->addWidget(tLabel_);
    blend->addStretch(1);
    controls->addLayout(blend);
    controls->addWidget(slider_);
    controls->addWidget(makeEditControls());
    controls->addWidget(editList_);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(bits_);
    exportRow->addWidget(export_);
    exportRow->addStretch(1);
    controls->addLayout(exportRow);
    controls->addWidget(status_);
    controls->addStretch(1);

    auto* views = new QVBoxLayout;
    views->addWidget(decodedTitle_);
    views->addWidget(decoded_, 1);
    views->addWidget(differenceTitle_);
    views->addWidget(difference_, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(controlsBox, 2);
    layout->addLayout(views, 3);

    connect(mode_, &QComboBox::currentIndexChanged, this, &LatentLabPanel::pushInterpolation);
    connect(slider_, &QSlider::valueChanged, this, &LatentLabPanel::pushInterpolation);
    connect(export_, &QPushButton::clicked, this, &LatentLabPanel::exportResult);
    connect(lab_, &LatentLab::inputsChanged, this, &LatentLabPanel::updateControls);
    connect(lab_, &LatentLab::shownChanged, this, &LatentLabPanel::showResult);
    connect(lab_, &LatentLab::busyChanged, this, &LatentLabPanel::updateControls);
    connect(lab_, &LatentLab::errorChanged, this, &LatentLabPanel::updateControls);
    connect(lab_, &LatentLab::exported, this, &LatentLabPanel::showExported);
    retranslate();
    updateControls();
}

QWidget* LatentLabPanel::makeInputRow(LatentLab::Slot slot) {
    auto* row = new QWidget(this);
    auto* layout = new QGridLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    names_[slot] = new QLabel(row);
    names_[slot]->setWordWrap(true);
    open_[slot] = new QPushButton(row);
    take_[slot] = new QPushButton(row);
    clear_[slot] = new QPushButton(row);
    layout->addWidget(names_[slot], 0, 0, 1, 4);
    layout->addWidget(open_[slot], 1, 0);
    layout->addWidget(take_[slot], 1, 1);
    layout->addWidget(clear_[slot], 1, 2);
    layout->setColumnStretch(3, 1);
    connect(open_[slot], &QPushButton::clicked, this, [this, slot] { openFile(slot); });
    connect(take_[slot], &QPushButton::clicked, this, [this, slot] { takeResult(slot); });
    connect(clear_[slot], &QPushButton::clicked, this, [this, slot] { lab_->clear(slot); });
    return row;
}

QWidget* LatentLabPanel::makeEditControls() {
    auto* row = new QWidget(this);
    auto* layout = new QGridLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    op_ = new QComboBox(row);
    op_->addItems({QString(), QString(), QString(), QString(), QString()});
    channel_ = new QSpinBox(row);
    other_ = new QSpinBox(row);
    value_ = new QDoubleSpinBox(row);
    value_->setRange(-1000, 1000);
    value_->setDecimals(3);
    value_->setSingleStep(0.1);
    value_->setValue(1.5);
    seed_ = new QSpinBox(row);
    seed_->setRange(0, 1 << 30);
    add_ = new QPushButton(row);
    remove_ = new QPushButton(row);
    // operation, channel, other channel / value, seed / add, remove
    layout->addWidget(op_, 0, 0);
    layout->addWidget(channel_, 0, 1);
    layout->addWidget(other_, 0, 2);
    layout->addWidget(value_, 1, 0);
    layout->addWidget(seed_, 1, 1);
    layout->addWidget(add_, 2, 0);
    layout->addWidget(remove_, 2, 1);
    connect(op_, &QComboBox::currentIndexChanged, this, &LatentLabPanel::updateControls);
    connect(add_, &QPushButton::clicked, this, [this] { addEdit(editFromControls()); });
    connect(remove_, &QPushButton::clicked, this, [this] { removeEdit(editList_->currentRow()); });
    return row;
}

LatentEdit LatentLabPanel::editFromControls() const {
    LatentEdit e;
    e.kind = LatentEdit::Kind(op_->currentIndex());
    e.channel = channel_->value();
    e.other = other_->value();
    e.value = value_->value();
    e.seed = std::uint64_t(seed_->value());
    return e;
}

void LatentLabPanel::addEdit(const LatentEdit& edit) {
    std::vector<LatentEdit> edits = lab_->edits();
    edits.push_back(edit);
    editList_->addItem(QString::fromStdString(edit.describe()));
    lab_->setEdits(std::move(edits));
}

void LatentLabPanel::removeEdit(int row) {
    std::vector<LatentEdit> edits = lab_->edits();
    if (row < 0 || row >= int(edits.size())) return;
    edits.erase(edits.begin() + row);
    delete editList_->takeItem(row);
    lab_->setEdits(std::move(edits));
}

void LatentLabPanel::setSpherical(bool spherical) {
    mode_->setCurrentIndex(spherical ? 1 : 0);
}

void LatentLabPanel::pushInterpolation() {
    tLabel_->setText(
        QStringLiteral("t = %1").arg(double(slider_->value()) / kSliderSteps, 0, 'f', 2));
    lab_->setInterpolation(mode_->currentIndex() == 1 ? LatentInterpolation::Mode::Spherical
                                                      : LatentInterpolation::Mode::Linear,
                           double(slider_->value()) / kSliderSteps);
}

void LatentLabPanel::openFile(LatentLab::Slot slot) {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open z"), QString(), tr("z arrays (*_z.npy *.npy)"));
    if (!path.isEmpty()) lab_->openFile(slot, path);
}

void LatentLabPanel::takeResult(LatentLab::Slot slot) {
    const auto [name, z] = currentResult_ ? currentResult_() : std::pair<QString, at::Tensor>();
    lab_->setFromResult(slot, name, z);
}

void LatentLabPanel::exportResult() {
    const QString recipe = QFileDialog::getSaveFileName(
        this, tr("Export edited z, decode and recipe"), QStringLiteral("latent_lab_recipe.json"),
        tr("Latent recipes (*_recipe.json)"));
    if (recipe.isEmpty()) return;
    const QString stem = QString::fromStdString(LatentExport::stemOfRecipe(recipe.toStdString()));
    lab_->exportShown(QFileInfo(recipe).absolutePath(), stem, bits_->currentIndex() ? 16 : 8);
}

void LatentLabPanel::showExported(const QStringList& written) {
    status_->setText(tr("Exported %n file(s).", nullptr, int(written.size())));
}

void LatentLabPanel::showResult() {
    const auto shown = lab_->shown();
    if (!shown) return;
    decoded_->setWindowedImage(shown->picture);
    difference_->setScalarMap(shown->difference);
    updateControls();
}

void LatentLabPanel::updateControls() {
    for (LatentLab::Slot slot : {LatentLab::A, LatentLab::B}) {
        const auto& in = lab_->input(slot);
        names_[slot]->setText((slot == LatentLab::A ? tr("A: %1") : tr("B: %1"))
                                  .arg(in ? QString::fromStdString(in->name) : tr("none")));
        clear_[slot]->setEnabled(in.has_value());
    }
    const bool two = lab_->input(LatentLab::B).has_value();
    mode_->setEnabled(two);
    slider_->setEnabled(two);
    const int channels = std::max(1, lab_->channels());
    channel_->setMaximum(channels - 1);
    other_->setMaximum(channels - 1);
    const auto kind = LatentEdit::Kind(op_->currentIndex());
    other_->setEnabled(kind == LatentEdit::Kind::Swap);
    value_->setEnabled(kind != LatentEdit::Kind::Zero && kind != LatentEdit::Kind::Swap);
    seed_->setEnabled(kind == LatentEdit::Kind::Noise);
    add_->setEnabled(lab_->channels() > 0);
    export_->setEnabled(lab_->shown() != nullptr && !lab_->exporting());
    if (!lab_->lastError().isEmpty())
        status_->setText(lab_->lastError());
    else if (lab_->reading())
        status_->setText(tr("Reading the z file…"));
    else if (lab_->exporting())
        status_->setText(tr("Writing the export…"));
    else if (lab_->busy())
        status_->setText(tr("Decoding… (the view shows the last finished decode)"));
    else if (!lab_->note().isEmpty())
        status_->setText(lab_->note());
    else if (lab_->shown())
        status_->setText(tr("Largest change from the edits: %1 (model space, -1 to 1)")
                             .arg(lab_->shown()->largestDifference, 0, 'g', 3));
    else
        status_->setText(tr("Open a z file, or take the z of the image shown in Inspect."));
}

void LatentLabPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void LatentLabPanel::retranslate() {
    help_->setText(
        tr("Decoding takes z (the _z.npy file); the stage-2 latent (_latent.npy) is the "
           "input for downstream models and does not decode faithfully. On the CPU a "
           "full-size model takes seconds per decode."));
    for (LatentLab::Slot slot : {LatentLab::A, LatentLab::B}) {
        open_[slot]->setText(tr("Open z…"));
        take_[slot]->setText(tr("From Inspect"));
        clear_[slot]->setText(tr("Clear"));
    }
    mode_->setItemText(0, tr("Linear"));
    mode_->setItemText(1, tr("Spherical (slerp)"));
    const QStringList ops{tr("Scale"), tr("Offset"), tr("Zero"), tr("Swap"), tr("Add noise")};
    for (int i = 0; i < ops.size(); ++i)
        op_->setItemText(i, ops[i]);
    channel_->setPrefix(tr("channel "));
    other_->setPrefix(tr("with "));
    value_->setPrefix(tr("value "));
    seed_->setPrefix(tr("seed "));
    add_->setText(tr("Add edit"));
    remove_->setText(tr("Remove edit"));
    bits_->setItemText(0, tr("PNG 8-bit"));
    bits_->setItemText(1, tr("PNG 16-bit"));
    export_->setText(tr("Export…"));
    decodedTitle_->setText(tr("Decoded (edited z)"));
    differenceTitle_->setText(tr("Difference to the unedited decode"));
    pushInterpolation();
    updateControls();
}

}  // namespace medvae::ui
