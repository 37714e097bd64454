#pragma once

#include <QWidget>

#include "archive_client.h"

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLineEdit;

namespace medvae::ui {

// The fields of a study search: patient ID, patient name, study date range, modality, accession
// number, study description. Names and descriptions match as the user expects of a search box
// (a part of the text, case as the archive matches it); IDs and accession numbers match exactly
// unless they hold DICOM wildcards (* ?). Return (Enter) in any field asks for the search.
class StudyQueryForm : public QWidget {
    Q_OBJECT
  public:
    explicit StudyQueryForm(QWidget* parent = nullptr);

    // A study-level query with these fields' matching keys (empty fields match everything).
    pacs::Query query(std::size_t limit, std::size_t offset) const;

    QLineEdit* patientId() const { return patientId_; }
    QLineEdit* patientName() const { return patientName_; }
    QComboBox* modality() const { return modality_; }
    QLineEdit* accession() const { return accession_; }
    QLineEdit* description() const { return description_; }
    QCheckBox* dateEnabled() const { return dateEnabled_; }
    QDateEdit* dateFrom() const { return from_; }
    QDateEdit* dateTo() const { return to_; }

  Q_SIGNALS:
    void searchRequested();

  private:
    QLineEdit* patientId_;
    QLineEdit* patientName_;
    QComboBox* modality_;
    QLineEdit* accession_;
    QLineEdit* description_;
    QCheckBox* dateEnabled_;
    QDateEdit* from_;
    QDateEdit* to_;
};

}  // namespace medvae::ui
