;;;; alloc.lisp: memory: exact allocation recording (sb-aprof), the instrument-consing policy
;;;; of a session, heap snapshots, and the memory parts every recording carries (GC events,
;;;; snapshots).
;;;;
;;;; sb-aprof counts the allocations of code compiled under
;;;; (optimize sb-c::instrument-consing): each allocation point has a counter that the
;;;; profiler switches on.  SBCL's own functions were compiled without it, so their
;;;; allocations (FORMAT's strings, hash table growth…) are not counted.

(in-package #:sbcl-profiler-agent)

;;; The session's policy

(defvar *instrument-consing* nil
  "True when this session compiles what it loads and evaluates with allocation instrumentation.")
(defvar *instrumented-loads* '()
  "What was loaded while instrumenting, newest first: (kind . name), kind :file, :fasl or :system.")

(defun setup-instrument-consing ()
  "Turns the policy on for the whole session when SBCL_PROFILER_INSTRUMENT_CONSING=1: a floor on
the quality, so that a file's own (declaim (optimize …)) cannot turn it off."
  (when (and (equal (sb-ext:posix-getenv "SBCL_PROFILER_INSTRUMENT_CONSING") "1")
             (aprof-available-p))
    (sb-ext:restrict-compiler-policy 'sb-c::instrument-consing 3 3)
    (setf *instrument-consing* t)))

(defun aprof-available-p ()
  (and (find-package "SB-APROF") (member :x86-64 *features*) t))

(defun fasl-file-p (file)
  (let ((type (pathname-type (pathname file))))
    (and type (string-equal type "fasl"))))

(defun note-load (kind name)
  "Remembers a load done while instrumenting, for the sentence a recording sends."
  (when *instrument-consing*
    (push (cons (if (and (eq kind :file) (fasl-file-p name)) :fasl kind) name)
          *instrumented-loads*)))

(defun load-system-instrumented (system)
  "ASDF would load up-to-date fasls compiled without the policy: force the named system's files
to compile again (its dependencies are loaded as they are)."
  (let ((load-system (intern "LOAD-SYSTEM" "ASDF")))
    (if *instrument-consing*
        (funcall load-system system :force t)
        (funcall load-system system))
    (note-load :system system)))

(defun instrumented-sentence ()
  "Which code alloc-exact counts, in words for the user."
  (flet ((names (kind)
           (loop for (k . name) in (reverse *instrumented-loads*)
                 when (eq k kind) collect (if (eq kind :system)
                                              name
                                              (file-namestring name)))))
    (let ((files (names :file))
          (systems (names :system))
          (fasls (names :fasl)))
      (if *instrument-consing*
          (format nil "Counted: code this session compiled with allocation instrumentation~
                       ~@[ (files ~{~A~^, ~})~]~@[ (systems ~{~A~^, ~}; their dependencies ~
                       were not recompiled)~], forms evaluated in it and the workload.~
                       ~@[ Fasls loaded as they were (~{~A~^, ~}) are not counted.~] ~
                       SBCL's own functions (FORMAT, hash tables, …) are not counted."
                  files systems fasls)
          "This session does not compile with allocation instrumentation: only code the program compiled under (optimize sb-c::instrument-consing) itself is counted. Restart the session with “Instrument allocations” on. SBCL's own functions (FORMAT, hash tables, …) are never counted."))))

;;; sb-aprof

(defun dup2 (from to)
  (sb-alien:alien-funcall
   (sb-alien:extern-alien "dup2" (function sb-alien:int sb-alien:int sb-alien:int)) from to))

(defun call-with-quiet-stdout (function)
  "sb-aprof's C runtime prints \"allocation profiler: N threads\" on fd 1, which is the
program's console: point fd 1 at /dev/null around the call."
  (let ((saved (sb-unix:unix-dup 1))
        (null (sb-unix:unix-open "/dev/null" sb-unix:o_wronly 0)))
    (if (and saved null)
        (unwind-protect
             (progn (dup2 null 1)
                    (funcall function))
          (sb-alien:alien-funcall
           (sb-alien:extern-alien "fflush" (function sb-alien:int sb-alien:system-area-pointer))
           (sb-sys:int-sap 0))
          (dup2 saved 1)
          (sb-unix:unix-close saved)
          (sb-unix:unix-close null))
        (funcall function))))

(defun start-alloc-exact ()
  (unless (aprof-available-p)
    (request-fail "invalid" "this SBCL has no allocation profiler (sb-aprof, x86-64 only)"))
  (sb-aprof:aprof-reset)
  ;; Code loaded since the last recording still jumps over its counters.
  (sb-aprof:patch-all-code)
  (call-with-quiet-stdout #'sb-aprof:aprof-start))

(defun stop-alloc-exact ()
  (call-with-quiet-stdout #'sb-aprof::aprof-stop))

(defun alloc-exact-result (bytes-consed)
  "The counters as the stop reply's functions, types and allocations: for each function the
objects and bytes of each type, summed over its allocation points as aprof-show sums them.
BYTES-CONSED is what the whole image allocated meanwhile."
  (let ((collection (handler-case (sb-aprof::aprof-collect nil)
                      (error (e)
                        (request-fail "invalid" "sb-aprof could not read its counters: ~A"
                                      (condition-text e)))))
        (functions (make-hash-table :test 'equal))   ; printed name -> index
        (function-list '())
        (types (make-hash-table :test 'equal))
        (type-list '())
        (cells (make-hash-table :test 'equal))       ; (function . type) -> (objects . bytes)
        (total 0))
    (flet ((index (name table list-place)
             (or (gethash name table)
                 (prog1 (setf (gethash name table) (hash-table-count table))
                   (funcall list-place name)))))
      (maphash
       (lambda (name allocs)
         (let ((f (index (printed-name name) functions
                         (lambda (printed) (push (function-object printed name) function-list)))))
           (dolist (alloc allocs)
             (let* ((type (index (printed-name (sb-aprof::alloc-type alloc)) types
                                 (lambda (printed) (push printed type-list))))
                    (cell (or (gethash (cons f type) cells)
                              (setf (gethash (cons f type) cells) (cons 0 0)))))
               (incf (car cell) (sb-aprof::alloc-count alloc))
               (incf (cdr cell) (sb-aprof::alloc-bytes alloc))
               (incf total (sb-aprof::alloc-bytes alloc))))))
       collection))
    (obj "functions" (nreverse function-list)
         "types" (nreverse type-list)
         "allocations" (loop for (f . type) being the hash-keys of cells using (hash-value cell)
                             collect (list f type (car cell) (cdr cell)))
         "total_bytes" total
         "instrumented" (instrumented-sentence)
         "uninstrumented_bytes" (max 0 (- bytes-consed total)))))

(defun function-object (printed name)
  (multiple-value-bind (file line)
      (and (ignore-errors (fboundp name)) (function-location (fdefinition name)))
    (apply #'obj "name" printed (and file (list "file" file "line" line)))))

;;; Heap snapshots

(defun type-name-of-widetag (widetag)
  "The type of objects with this widetag, named as sb-aprof names the types it counts."
  (let ((names sb-aprof::*tag-to-type*))
    (or (aref names widetag)
        (let ((info (aref sb-vm::*room-info* widetag)))
          (and info (sb-vm::room-info-type-name info)))
        'unknown)))

(defun heap-census ()
  "Live objects of dynamic space by type after a full GC: a list of [type, objects, bytes].
Instances count by class; the rest by widetag, as ROOM does."
  (sb-ext:gc :full t)
  (let ((counts (make-array 256 :element-type 'sb-ext:word :initial-element 0))
        (sizes (make-array 256 :element-type 'sb-ext:word :initial-element 0))
        (classes (make-hash-table :test 'eq :size 2048)))  ; wrapper -> (objects . bytes)
    (sb-vm::map-allocated-objects
     (lambda (object widetag size)
       (declare (optimize speed) (type (unsigned-byte 8) widetag) (type sb-ext:word size))
       (if (or (eql widetag sb-vm:instance-widetag)
               (eql widetag sb-vm:funcallable-instance-widetag))
           (let* ((wrapper (if (eql widetag sb-vm:funcallable-instance-widetag)
                               (sb-kernel:%fun-wrapper object)
                               (sb-kernel:%instance-wrapper object)))
                  (cell (or (gethash wrapper classes)
                            (setf (gethash wrapper classes) (cons 0 0)))))
             (incf (the fixnum (car cell)))
             (incf (the fixnum (cdr cell)) size))
           (progn (incf (aref counts widetag))
                  (incf (aref sizes widetag) size))))
     :dynamic)
    (let ((rows (make-hash-table :test 'equal)))
      (flet ((add (name objects bytes)
               (let ((row (or (gethash name rows) (setf (gethash name rows) (list 0 0)))))
                 (incf (first row) objects)
                 (incf (second row) bytes))))
        (dotimes (widetag 256)
          (when (plusp (aref counts widetag))
            (add (printed-name (type-name-of-widetag widetag))
                 (aref counts widetag) (aref sizes widetag))))
        (maphash (lambda (wrapper cell)
                   (add (printed-name (sb-kernel:classoid-name
                                       (sb-kernel:wrapper-classoid wrapper)))
                        (car cell) (cdr cell)))
                 classes))
      (loop for name being the hash-keys of rows using (hash-value row)
            collect (cons name row)))))

;;; What every recording adds

(defstruct memory-recording
  (gc-cursor nil)
  (heap-before nil)
  (heap-seconds 0d0))

(defvar *memory-recording* nil)

(defun begin-memory-recording (message)
  "Before a recording starts: the heap snapshot when asked for, then the GC cursor (so the
snapshot's own collection is not one of the recording's)."
  (let ((memory (make-memory-recording)))
    (when (eq (jget message "heap_snapshot" :false) :true)
      (let ((start (now)))
        (setf (memory-recording-heap-before memory) (heap-census)
              (memory-recording-heap-seconds memory) (- (now) start))))
    (setf (memory-recording-gc-cursor memory) (make-gc-cursor)
          *memory-recording* memory)))

(defun drain-gc-events ()
  "The running recording's collections not taken yet, oldest first: for a streamed batch
(PROTOCOL.md, gc_events in batches); the stop reply then carries only the rest."
  (let ((memory *memory-recording*))
    (and memory (take-gc-events (memory-recording-gc-cursor memory)))))

(defun end-memory-recording ()
  "After the profiler stopped: the recording's GC events and, when a snapshot was taken
before, the one after; as members of the stop reply."
  (let ((memory *memory-recording*))
    (setf *memory-recording* nil)
    (if (null memory)
        (list (cons "gc_events" '()))
        (let* ((cursor (memory-recording-gc-cursor memory))
               (events (take-gc-events cursor))
               (before (memory-recording-heap-before memory)))
          (list* (cons "gc_events" events)
                 (cons "gc_events_dropped" (gc-cursor-dropped cursor))
                 (and before
                      (let* ((start (now))
                             (after (heap-census))
                             (seconds (+ (memory-recording-heap-seconds memory)
                                         (- (now) start))))
                        (list (cons "heap" (obj "before" before "after" after
                                                "seconds" seconds))))))))))
