#!/usr/bin/python3
"""What the DICOMweb tests compare against, read with pydicom (independently of the project and of
the archive):

    dicom_facts.py facts FILE_OR_DIR ...   JSON list, one object per file that carries the DICM
                                           preamble (the files orthanc_server.py loads): path and
                                           the attributes the queries return
    dicom_facts.py derive SOURCE OUT       writes a new object made from SOURCE: same patient and
                                           study, new series and SOP instance UIDs; prints its
                                           UIDs as JSON
"""
import json
import sys
from pathlib import Path

import pydicom
from pydicom.uid import generate_uid

ATTRIBUTES = ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID",
              "PatientName", "PatientID", "PatientBirthDate", "AccessionNumber", "StudyDate",
              "StudyDescription", "SeriesDescription", "Modality", "InstanceNumber",
              "SeriesNumber", "Rows", "Columns"]


def files_of(paths):
    for p in map(Path, paths):
        yield from (sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])


def has_preamble(path):
    with open(path, "rb") as f:
        return f.read(132)[128:132] == b"DICM"


def facts(paths):
    out = []
    for path in files_of(paths):
        if not has_preamble(path):
            continue
        d = pydicom.dcmread(path, stop_before_pixels=True)
        row = {"path": str(path)}
        for name in ATTRIBUTES:
            value = d.get(name)
            row[name] = "" if value is None else str(value)
        out.append(row)
    print(json.dumps(out))


def derive(source, out):
    d = pydicom.dcmread(source)
    d.SeriesInstanceUID = generate_uid()
    d.SOPInstanceUID = generate_uid()
    d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
    d.SeriesNumber = 9901
    d.InstanceNumber = 1
    d.SeriesDescription = "derived for a store test"
    d.save_as(out, write_like_original=False)
    print(json.dumps({"StudyInstanceUID": str(d.StudyInstanceUID),
                      "SeriesInstanceUID": str(d.SeriesInstanceUID),
                      "SOPInstanceUID": str(d.SOPInstanceUID)}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "facts":
        facts(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "derive":
        derive(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
