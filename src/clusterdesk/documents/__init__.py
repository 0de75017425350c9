"""The official documents: Attachment 1 and 2 as Word, Excel and PDF, the Word import and the
electronic package (电子版). Pure Python, no Django import."""
