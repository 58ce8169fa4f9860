;;;; memtest-system.asd: a one-file ASDF system for the memory tests (load-system under
;;;; allocation instrumentation, with its fasls already compiled by an earlier run).

(defsystem "memtest-system"
  :components ((:file "conses")))
