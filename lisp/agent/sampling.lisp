;;;; sampling.lisp: statistical recordings (sb-sprof).  Samples leave SBCL's per-thread
;;;; buffers in batches (PROTOCOL.md, "Sample batches"): ACQUIRE_SPROF_DATA takes a thread's
;;;; buffer from under the SIGPROF handler (the handler starts a fresh one at its next sample), so
;;;; the buffers can be drained while sampling goes on.  What lasts for the whole recording
;;;; (decoded frame words, frame and thread ids) lives in a SAMPLER; a batch's trie and column
;;;; are reused from batch to batch, so the agent holds one batch at a time.

(in-package #:sbcl-profiler-agent)

;;; The stack trie: every kept trace descends from its thread's root, one node per frame, so
;;; that identical stacks merge without a key list per trace, and a walk of the trie yields the
;;; stacks in an order where each shares the longest prefix with the one before.

(deftype node-index () '(unsigned-byte 32))
(defconstant +no-node+ #xFFFFFFFF)
(defconstant +wide+ 8 "Nodes with more children than this find them through a hash table.")

(deftype u32-vector () '(simple-array (unsigned-byte 32) (*)))

(defstruct (trie (:constructor make-trie (&aux (capacity 4096))))
  (frame (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (count (make-array capacity :element-type 'fixnum) :type (simple-array fixnum (*)))
  (first-child (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (next-sibling (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (n-children (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  ;; the info of the child a trace last went to, and that child: deep stacks are mostly
  ;; chains, where this answers before the frame is looked up and the children walked
  (last-info (make-array capacity :initial-element 0) :type simple-vector)
  (last-child (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (size 0 :type fixnum)
  (wide (make-hash-table :test 'eql)))  ; node -> hash table frame -> child

(defun grow-trie (trie)
  (flet ((grown (vector)
           (let ((new (make-array (* 2 (length vector)) :element-type (array-element-type vector))))
             (replace new vector)
             new)))
    (setf (trie-frame trie) (grown (trie-frame trie))
          (trie-count trie) (grown (trie-count trie))
          (trie-first-child trie) (grown (trie-first-child trie))
          (trie-next-sibling trie) (grown (trie-next-sibling trie))
          (trie-n-children trie) (grown (trie-n-children trie))
          (trie-last-info trie) (grown (trie-last-info trie))
          (trie-last-child trie) (grown (trie-last-child trie)))))

(defun trie-add (trie parent frame)
  "A new node for FRAME under PARENT (+NO-NODE+ for a root, which is no child of anything)."
  (declare (type trie trie) (type node-index parent frame) (optimize speed))
  (when (= (trie-size trie) (length (trie-frame trie)))
    (grow-trie trie))
  (let ((node (trie-size trie)))
    (declare (type node-index node))
    (setf (trie-size trie) (1+ node)
          (aref (trie-frame trie) node) frame
          (aref (trie-count trie) node) 0
          (aref (trie-first-child trie) node) +no-node+
          (aref (trie-next-sibling trie) node) +no-node+
          (aref (trie-n-children trie) node) 0
          (svref (trie-last-info trie) node) 0)
    (unless (= parent +no-node+)
      (setf (aref (trie-next-sibling trie) node) (aref (trie-first-child trie) parent)
            (aref (trie-first-child trie) parent) node)
      (let ((n (incf (aref (trie-n-children trie) parent))))
        (cond ((= n (1+ +wide+))
               ;; The parent turns wide: index all of its children.
               (let ((table (make-hash-table :test 'eql))
                     (next (trie-next-sibling trie)))
                 (loop for child of-type node-index = node then (aref next child)
                       until (= child +no-node+)
                       do (setf (gethash (aref (trie-frame trie) child) table) child))
                 (setf (gethash parent (trie-wide trie)) table)))
              ((> n +wide+)
               (setf (gethash frame (gethash parent (trie-wide trie))) node)))))
    node))

(declaim (inline trie-child))
(defun trie-child (trie parent frame)
  "The child of PARENT for FRAME, made when missing."
  (declare (type trie trie) (type node-index parent frame) (optimize speed))
  (if (> (aref (trie-n-children trie) parent) +wide+)
      (or (gethash frame (gethash parent (trie-wide trie)))
          (trie-add trie parent frame))
      (let ((frames (trie-frame trie))
            (next (trie-next-sibling trie)))
        (loop for child of-type node-index = (aref (trie-first-child trie) parent)
                then (aref next child)
              until (= child +no-node+)
              do (when (= (aref frames child) frame)
                   (return-from trie-child child)))
        (trie-add trie parent frame))))

(defun trie-clear (trie)
  "Empties TRIE for the next batch, keeping its arrays."
  (setf (trie-size trie) 0)
  (clrhash (trie-wide trie)))

(defun agent-thread-p (thread)
  (or (eq thread *reader-thread*)
      (member (sb-thread:thread-name thread) '("SPROF timer" "finalizer" "sbcl-profiler")
              :test #'equal)))

(defstruct (frame-info (:constructor %make-frame-info (info)))
  "What a trace's frame (an sb-sprof INFO) is, worked out once per INFO."
  info
  (id -1 :type fixnum)        ; in the frame table, given when a kept stack first uses it
  (lisp-p nil)
  (runner-p nil)
  (wrapper-p nil)
  (start-p nil))

(defun make-frame-info (info)
  (let ((frame-info (%make-frame-info info)))
    (setf (frame-info-lisp-p frame-info) (typep info 'sb-di::compiled-debug-fun)
          (frame-info-runner-p frame-info) (runner-frame-p info)
          (frame-info-wrapper-p frame-info) (wrapper-frame-p info)
          (frame-info-start-p frame-info) (thread-start-frame-p info))
    frame-info))

(defconstant +info-cache-size+ 4096 "Slots of the cache in front of the frame-info table.")

(defstruct harvest
  ;; for the whole recording
  (frame-ids (make-hash-table :test 'equal))  ; (name . identity) -> id, and name -> T once seen
  (infos (make-hash-table :test 'eq))         ; info -> frame-info
  (string-infos (make-hash-table :test 'equal)) ; foreign names come as fresh strings
  (info-cache (make-array (* 2 +info-cache-size+) :initial-element 0) ; info frame-info ...
   :type simple-vector)
  (decode-cache (make-hash-table :test 'eql)) ; frame word key -> (info . pc)
  (code-map nil)                              ; serial -> code, or NIL until needed
  (code-map-fresh nil)                        ; the map was rebuilt during this batch
  (thread-ids (make-hash-table :test 'eq))
  (n-frames 0)
  (n-threads 0)
  ;; for the batch being drained
  (frames (make-array 64 :adjustable t :fill-pointer 0))  ; new frames' JSON objects
  (threads (make-array 4 :adjustable t :fill-pointer 0))  ; new threads' JSON objects
  (roots (make-array 4 :adjustable t :fill-pointer 0))    ; thread id -> its trie root or NIL
  (trie (make-trie))
  ;; the last trace added, from its outermost user frame: infos and their trie nodes
  (path-root +no-node+ :type node-index)
  (path-infos (make-array 64) :type simple-vector)
  (path-nodes (make-array 64 :element-type '(unsigned-byte 32)) :type u32-vector)
  (path-length 0 :type fixnum)
  (samples 0)
  (kept 0)
  (decode-seconds 0d0)      ; SBCL's own decoding of its sample buffers
  (aggregate-seconds 0d0))

(defun harvest-begin-batch (harvest)
  (setf (fill-pointer (harvest-frames harvest)) 0
        (fill-pointer (harvest-threads harvest)) 0
        (harvest-samples harvest) 0
        (harvest-kept harvest) 0
        (harvest-path-root harvest) +no-node+
        (harvest-path-length harvest) 0)
  (fill (harvest-roots harvest) nil)
  (trie-clear (harvest-trie harvest)))

;;; Decoding the sample buffers

(defun code-map (harvest)
  "serial number -> code object, built when a batch first needs it: most batches find every
frame word in the decode cache and never walk the heap."
  (or (harvest-code-map harvest)
      (setf (harvest-code-map harvest) (sb-sprof::build-serialno-to-code-map))))

(defun code-of-serial (harvest serial)
  "The code object of SERIAL; the map is rebuilt once per batch for code made since."
  (or (gethash serial (code-map harvest))
      (unless (harvest-code-map-fresh harvest)
        (setf (harvest-code-map harvest) nil
              (harvest-code-map-fresh harvest) t)
        (gethash serial (code-map harvest)))))

(defun decode-frame-word (bits harvest)
  "(values info pc) of one frame word of a trace, as sb-sprof::extract-traces makes them."
  (declare (type sb-ext:word bits))
  (flet ((at-code (code offset)
           (sb-sys:with-pinned-objects (code)
             (sb-sprof::debug-info
              (sb-sys:sap+ (sb-sys:int-sap (logandc2 (sb-kernel:get-lisp-obj-address code)
                                                     sb-vm:lowtag-mask))
                           offset)
              code))))
    (cond ((= bits sb-ext:most-positive-word)
           (let ((code (sb-kernel:fun-code-header #'sb-sprof::unavailable-frames)))
             (sb-sprof::debug-info (sb-kernel:code-instructions code) code)))
          ((logbitp 63 bits)
           (let ((code (code-of-serial harvest (ldb (byte 32 0) bits))))
             (if code
                 (at-code code (ldb (byte 31 32) bits))
                 ;; Code collected since the sample: sb-sprof names it "unknown function".
                 (let ((code (sb-kernel:fun-code-header #'sb-sprof::unknown-function)))
                   (sb-sprof::debug-info (sb-kernel:code-instructions code) code)))))
          (t
           (let ((sap (sb-sys:int-sap bits)))
             (sb-sprof::debug-info sap (sb-di::code-header-from-pc sap)))))))

(defconstant +decode-cache-limit+ 200000
  "Decoded frame words kept for the recording; past this the cache starts afresh, so that a
long recording of code that keeps being compiled stays bounded.")

(defun extract-traces (sap harvest)
  "sb-sprof::extract-traces, but each distinct frame word is decoded once per recording (the
harvest's cache: word key -> (info . pc)): deep stacks repeat the same return addresses, and
finding the debug-fun of one took two microseconds."
  (let ((free (nth-value 1 (sb-sprof::sprof-data-header sap)))
        (cache (let ((cache (harvest-decode-cache harvest)))
                 (when (> (hash-table-count cache) +decode-cache-limit+)
                   (clrhash cache))
                 cache))
        (index 2)
        (result '()))
    (loop while (< index free)
          do (let* ((trace (sb-sprof::sprof-data-trace sap index))
                    (length (sb-sprof::trace-len trace))
                    (locs (make-array (* 2 length))))
               (dotimes (i length)
                 (let* ((bits (sb-sys:sap-ref-word trace (+ 16 (* i sb-sprof::element-size))))
                        ;; a fixnum key: relative words (bit 63) negative, addresses positive
                        (key (cond ((logbitp 63 bits)
                                    (and (< (ldb (byte 31 32) bits) (expt 2 28))
                                         (- -1 (ldb (byte 60 0) bits))))
                                   ((< bits most-positive-fixnum) bits)))
                        (entry (and key (gethash key cache))))
                   (declare (type sb-ext:word bits))
                   (unless entry
                     (setf entry (multiple-value-bind (info pc) (decode-frame-word bits harvest)
                                   (cons info pc)))
                     (when key (setf (gethash key cache) entry)))
                   (setf (svref locs (* 2 i)) (car entry)
                         (svref locs (1+ (* 2 i))) (cdr entry))))
               (push (cons locs (sb-sprof::trace-multiplicity trace)) result)
               (incf index (+ 2 length))))
    result))

(defun drain-buffers (harvest)
  "Takes the samples out of sb-sprof's C buffers (which frees them; sampling goes on into fresh
ones), keeping sb-sprof's own de-duplication: a list of (thread . ((locs . multiplicity) ...)),
locs innermost first as #(info pc info pc ...).  This is what sb-sprof::convert-raw-data does,
minus the expansion of every sample into its own copy.  SIGPROF is masked in this thread
meanwhile, as convert-raw-data does."
  (let ((result '())
        (mask (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) 1)))
    (setf (harvest-code-map-fresh harvest) nil)
    (unwind-protect
         (sb-sprof::call-with-each-profile-buffer
          (lambda (sap thread memory-usage)
            (declare (ignore memory-usage))
            (push (cons thread (extract-traces sap harvest)) result)))
      (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) mask))
    result))

(defvar *extra-traces* nil
  "For benches and tests only, never set by the agent: NIL, or a function of no arguments that
each drain calls (in the draining thread, under the sampler's lock) after DRAIN-BUFFERS, and
whose traces, in the shape DRAIN-BUFFERS returns, join SBCL's as if it had taken them: every
step after the drain (frame lookup, aggregation, the batch) is the real one.")

(defun drain-traces (harvest)
  "The traces of a batch: SBCL's buffers, and those of *EXTRA-TRACES*."
  (let ((raw (drain-buffers harvest))
        (extra *extra-traces*))
    (if extra
        (append raw (funcall extra))
        raw)))

;;; Aggregating the traces

(defun lookup-frame-info (harvest info)
  (if (stringp info)
      (let ((table (harvest-string-infos harvest)))
        (or (gethash info table) (setf (gethash info table) (make-frame-info info))))
      (let ((table (harvest-infos harvest)))
        (or (gethash info table) (setf (gethash info table) (make-frame-info info))))))

(declaim (inline frame-info))
(defun frame-info (harvest info)
  "The frame-info of INFO.  Deep stacks repeat a few functions over and over: a small cache
indexed by address answers most lookups before the hash table.  An object moved by the GC
only misses the cache."
  (declare (optimize speed))
  (let* ((cache (harvest-info-cache harvest))
         (slot (* 2 (ldb (byte (integer-length (1- +info-cache-size+)) 4)
                         (sb-kernel:get-lisp-obj-address info)))))
    (declare (type simple-vector cache))
    (if (eq (svref cache slot) info)
        (svref cache (1+ slot))
        (let ((frame-info (lookup-frame-info harvest info)))
          (setf (svref cache slot) info
                (svref cache (1+ slot)) frame-info)
          frame-info))))

(defun frame-identity (info)
  "What tells apart distinct functions whose names print alike (five (LAMBDA (X) :IN F) in one
function): their code component and the form number of their lambda.  A function's external
entry point shares both with its body, so the two stay one frame."
  (when (typep info 'sb-di::compiled-debug-fun)
    (ignore-errors
     (list (sb-di::compiled-debug-fun-component info)
           (sb-c::compiled-debug-fun-form-number
            (sb-di::compiled-debug-fun-compiler-debug-fun info))))))

(defun frame-info-frame-id (harvest frame-info)
  "The recording's id of a frame; a frame first seen goes into the batch's new frames.  One id
per distinct function: the second and later functions of a name carry a variant, \"form N\"
(the lambda's form number in its toplevel form)."
  (let ((id (frame-info-id frame-info)))
    (if (>= id 0)
        id
        (setf (frame-info-id frame-info)
              (let* ((info (frame-info-info frame-info))
                     (name (frame-name info))
                     (identity (frame-identity info))
                     (key (cons name identity))
                     (ids (harvest-frame-ids harvest)))
                (or (gethash key ids)
                    (let ((id (harvest-n-frames harvest))
                          (variant (and (gethash name ids) identity
                                        (format nil "form ~D" (second identity)))))
                      (multiple-value-bind (file line)
                          (and (typep info 'sb-di::compiled-debug-fun)
                               (debug-fun-location info))
                        (vector-push-extend (apply #'obj "id" id "name" name
                                                   (append (and variant (list "variant" variant))
                                                           (and file (list "file" file "line" line))))
                                            (harvest-frames harvest)))
                      (incf (harvest-n-frames harvest))
                      (setf (gethash name ids) t)
                      (setf (gethash key ids) id))))))))

(defun thread-id (harvest thread)
  "The recording's id of THREAD; a thread first seen goes into the batch's new threads."
  (or (gethash thread (harvest-thread-ids harvest))
      (let ((id (harvest-n-threads harvest)))
        (vector-push-extend (obj "id" id "name" (or (sb-thread:thread-name thread) "thread"))
                            (harvest-threads harvest))
        (incf (harvest-n-threads harvest))
        (setf (gethash thread (harvest-thread-ids harvest)) id))))

(defun thread-root (harvest thread)
  "The root of THREAD's stacks in the batch's trie."
  (let ((id (thread-id harvest thread))
        (roots (harvest-roots harvest)))
    (loop while (<= (fill-pointer roots) id)
          do (vector-push-extend nil roots))
    (or (aref roots id)
        (setf (aref roots id) (trie-add (harvest-trie harvest) +no-node+ 0)))))

(defparameter *thread-start-foreign-functions*
  '("foreign function new_thread_trampoline" "foreign function funcall1"
    "foreign function call_into_lisp" "foreign function call_into_lisp_"))

(defun thread-start-frame-p (info)
  "True for the frames by which SBCL starts a thread, outside the thread's own function."
  (let ((run (load-time-value (find-symbol "RUN" "SB-THREAD"))))
    (typecase info
      (string (member info *thread-start-foreign-functions* :test #'string=))
      (sb-di::compiled-debug-fun
       (let ((name (strip-wrapper (sb-di:debug-fun-name info))))
         (or (eq name run)
             (and (consp name) (eq (car (last name)) run)))))
      (t nil))))

(defun user-frames (harvest locs worker-p alloc-p)
  "The frames of one trace (LOCS: #(info pc info pc ...), innermost first) that belong to the
user, as a range [start, end) of positions counted from the outermost frame.  In the worker,
stacks start below the runner (an empty range when it is not on the stack: the worker was idle);
in other threads, at the thread's own function (its innermost frame alone for a sample taken
while it was starting or ending).  For allocation samples, the allocator's own frames are
charged to the first Lisp frame.  Only the frames looked at are looked up."
  (declare (type simple-vector locs))
  (let* ((n (floor (length locs) 2))
         (end n))
    (flet ((info (k) (svref locs (* 2 (- n 1 k))))
           (lisp-p (info) (typep info 'sb-di::compiled-debug-fun)))
      (declare (inline info lisp-p))
      (when alloc-p
        (setf end (loop for k from (1- n) downto 0
                        when (lisp-p (info k)) return (1+ k)
                        finally (return 0))))
      (if worker-p
          (let ((runner (loop for k below end
                              when (and (lisp-p (info k))
                                        (frame-info-runner-p (frame-info harvest (info k))))
                                return k)))
            (values (if runner
                        (loop for k from (1+ runner) below end
                              unless (and (lisp-p (info k))
                                          (frame-info-wrapper-p (frame-info harvest (info k))))
                                return k
                              finally (return end))
                        end)
                    end))
          (values (or (loop for k below end
                            unless (frame-info-start-p (frame-info harvest (info k)))
                              return k)
                      (max 0 (1- end)))
                  end)))))

(defun path-room (harvest n)
  "Makes the last trace's path hold N frames."
  (when (> n (length (harvest-path-infos harvest)))
    (let ((size (max n (* 2 (length (harvest-path-infos harvest))))))
      (setf (harvest-path-infos harvest) (replace (make-array size) (harvest-path-infos harvest))
            (harvest-path-nodes harvest)
            (replace (make-array size :element-type '(unsigned-byte 32)) (harvest-path-nodes harvest))))))

(defun add-trace (harvest thread worker-p locs multiplicity alloc-p)
  "Adds a trace to the trie.  Its leading frames that are the last trace's (the same info at
the same depth in the same thread) take that trace's nodes: consecutive traces of a thread
mostly share their outer frames, and comparing infos costs less than finding children."
  (declare (type simple-vector locs) (type fixnum multiplicity) (optimize speed))
  (multiple-value-bind (start end) (user-frames harvest locs worker-p alloc-p)
    (declare (type fixnum start end))
    (when (< start end)
      (path-room harvest (- end start))
      (let* ((trie (harvest-trie harvest))
             (root (thread-root harvest thread))
             (last (- (floor (length locs) 2) 1))
             (infos (harvest-path-infos harvest))
             (nodes (harvest-path-nodes harvest))
             (shared (if (= root (harvest-path-root harvest))
                         (loop for i of-type fixnum below (min (harvest-path-length harvest)
                                                               (- end start))
                               while (eq (svref infos i) (svref locs (* 2 (- last start i))))
                               finally (return i))
                         0))
             (node (if (plusp shared) (aref nodes (1- shared)) root)))
        (declare (type fixnum last shared) (type node-index root node))
        (loop for i of-type fixnum from shared below (- end start)
              do (let ((info (svref locs (* 2 (- last start i)))))
                   (setf node (if (eq (svref (trie-last-info trie) node) info)
                                  (aref (trie-last-child trie) node)
                                  (let ((child (trie-child trie node
                                                           (frame-info-frame-id
                                                            harvest (frame-info harvest info)))))
                                    (setf (svref (trie-last-info trie) node) info
                                          (aref (trie-last-child trie) node) child)))
                         (svref infos i) info
                         (aref nodes i) node)))
        (setf (harvest-path-root harvest) root
              (harvest-path-length harvest) (- end start))
        (incf (aref (trie-count trie) node) multiplicity)
        (incf (harvest-kept harvest) multiplicity)))))

(defun harvest-batch (harvest mode)
  "Drains the samples taken since the last batch into HARVEST's trie."
  (harvest-begin-batch harvest)
  (let* ((alloc-p (eq mode :alloc))
         (start (now))
         (raw (drain-traces harvest))
         (decoded (now)))
    (loop for (thread . traces) in raw
          for agent-p = (agent-thread-p thread)
          for worker-p = (eq thread *worker*)
          do (loop for (locs . multiplicity) in traces
                   do (incf (harvest-samples harvest) multiplicity)
                      (unless agent-p
                        (add-trace harvest thread worker-p locs multiplicity alloc-p))))
    (incf (harvest-decode-seconds harvest) (- decoded start))
    (incf (harvest-aggregate-seconds harvest) (- (now) decoded))
    harvest))

;;; The stacks column: base-64 digits of 5 bits each, low digits first, 32 added to every digit
;;; but a number's last (see PROTOCOL.md)

(defstruct (column (:constructor make-column ()))
  (text (make-string 65536 :element-type 'base-char) :type simple-base-string)
  (end 0 :type fixnum)
  (count 0 :type fixnum))

(defconstant +digit-room+ 13 "Digits of the largest number a column holds (62 bits).")

(defun column-reserve (column n-numbers)
  (let ((needed (+ (column-end column) 1 (* n-numbers +digit-room+))))
    (when (> needed (length (column-text column)))
      (let ((text (make-string (max needed (* 2 (length (column-text column))))
                               :element-type 'base-char)))
        (replace text (column-text column) :end2 (column-end column))
        (setf (column-text column) text)))))

(declaim (inline column-number))
(defun column-number (column n)
  "Appends N (not negative); room must be reserved."
  (declare (type column column) (type (and fixnum unsigned-byte) n) (optimize speed))
  (let ((text (column-text column))
        (end (column-end column))
        (digits (load-time-value
                 (coerce "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                         'simple-base-string)
                 t)))
    (declare (type simple-base-string digits) (type fixnum end))
    (loop (let ((digit (logand n 31)))
            (setf n (ash n -5))
            (setf (schar text end) (schar digits (if (zerop n) digit (+ digit 32))))
            (incf end)
            (when (zerop n) (return))))
    (setf (column-end column) end)))

(defun trie-column (harvest)
  "Every stack of the trie, thread by thread in a depth-first walk: thread, count, how many
frames it shares with the stack before, how many follow, and those frame ids."
  (let* ((trie (harvest-trie harvest))
         (column (make-column))
         (counts (trie-count trie))
         (frames (trie-frame trie))
         (first-child (trie-first-child trie))
         (next-sibling (trie-next-sibling trie))
         (path (make-array 64 :element-type '(unsigned-byte 32)))
         (shared 0))
    (declare (type fixnum shared) (type u32-vector path))
    (labels ((emit (thread count depth)
               (declare (type fixnum thread count depth) (optimize speed))
               (column-reserve column (+ 4 (- depth shared)))
               (column-number column thread)
               (column-number column count)
               (column-number column shared)
               (column-number column (- depth shared))
               (loop for i of-type fixnum from shared below depth
                     do (column-number column (aref path i)))
               (incf (column-count column))
               (setf shared depth))
             (walk (thread node depth)
               (declare (type fixnum thread depth) (type node-index node) (optimize speed))
               (let ((count (aref counts node)))
                 (when (plusp count)
                   (emit thread count depth)))
               (when (>= depth (length path))
                 (let ((longer (make-array (* 2 (length path)) :element-type '(unsigned-byte 32))))
                   (replace longer path)
                   (setf path longer)))
               (loop for child of-type node-index = (aref first-child node)
                       then (aref next-sibling child)
                     until (= child +no-node+)
                     do (setf (aref path depth) (aref frames child))
                        (walk thread child (1+ depth))
                        (setf shared (min shared depth)))))
      (loop for root across (harvest-roots harvest)
            for thread of-type fixnum from 0
            when root
              do (setf shared 0)
                 (walk thread root 0)))
    column))

(defun batch-object (harvest index run t0 t1 gc-events)
  "The batch just drained, as PROTOCOL.md's \"Sample batches\" describes it."
  (let ((column (trie-column harvest)))
    (obj "batch" index
         "run" (or run :null)
         "t0" t0
         "t1" t1
         "timed" :false
         "frames" (copy-seq (harvest-frames harvest))
         "threads" (copy-seq (harvest-threads harvest))
         "stacks" (make-raw-json-string :text (column-text column) :end (column-end column))
         "stack_count" (column-count column)
         "samples" (harvest-samples harvest)
         "kept_samples" (harvest-kept harvest)
         "gc_events" gc-events)))

;;; Batches

(defstruct sampler
  mode                      ; :cpu :alloc or :time
  (harvest (make-harvest))
  (lock (sb-thread:make-mutex :name "sbcl-profiler sampler"))
  (id 0)                    ; the recording's id, in streamed batches
  (stream nil)              ; send each batch as an event as soon as it is drained
  (drain-interval 1d0)
  (max-samples 50000)
  (start 0d0)               ; (now) when the recording started
  (last-drain 0d0)          ; seconds since the start at which the last batch ended
  (next-batch 0)
  (run nil)                 ; the index of the recorded run under way, or NIL
  (run-samples (make-hash-table)) ; run index -> samples taken in it
  (samples 0)               ; samples drained so far
  (pending '())             ; batches not streamed, newest first
  (drainer nil)
  (limit-hit nil)           ; the buffers filled to the limit between two drains
  (stopping nil))

(defconstant +largest-limit+ (1- (expt 2 31)) "sb_sprof_trace_ct_max is a C int.")

(defun raise-sample-limit (sampler)
  "A streaming recording never reaches the limit: it bounds only what waits in the buffers."
  (setf sb-sprof::trace-limit
        (min +largest-limit+ (+ (max 0 sb-sprof::trace-count) (sampler-max-samples sampler)))))

(defun streaming-p (sampler)
  "Whether a batch drained now is sent at once (else it waits for the stop reply)."
  (and (sampler-stream sampler) (not (sampler-stopping sampler))))

(defun deliver-batch (sampler batch)
  (if (streaming-p sampler)
      (send (list* :object (cons "event" "samples") (cons "recording" (sampler-id sampler))
                   (cdr batch)))
      (push batch (sampler-pending sampler))))

(defun drain (sampler &optional (run (sampler-run sampler)))
  "Drains the samples taken since the last batch into a batch tagged with RUN, and streams or
keeps it.  An empty drain sends nothing but moves the next batch's start."
  (sb-thread:with-mutex ((sampler-lock sampler))
    (let* ((harvest (harvest-batch (sampler-harvest sampler) (sampler-mode sampler)))
           (t1 (- (now) (sampler-start sampler)))
           (t0 (shiftf (sampler-last-drain sampler) t1))
           (samples (harvest-samples harvest)))
      (when (sampler-stream sampler)
        ;; SBCL counts a sample against the limit before dropping it, never past the limit
        (when (>= sb-sprof::trace-count sb-sprof::trace-limit)
          (setf (sampler-limit-hit sampler) t))
        (raise-sample-limit sampler))
      (incf (sampler-samples sampler) samples)
      (when run
        (incf (gethash run (sampler-run-samples sampler) 0) samples))
      (when (plusp samples)
        ;; a streamed batch carries the collections so far; the stop reply, the rest
        (deliver-batch sampler (batch-object harvest (shiftf (sampler-next-batch sampler)
                                                             (1+ (sampler-next-batch sampler)))
                                             run t0 t1
                                             (and (streaming-p sampler) (drain-gc-events))))))))

(defun drain-in-worker (sampler run)
  "The batch that closes a run, drained by the worker itself with its own sampling off, so
that the drain is no part of the profile."
  (sb-sprof::with-sampling (nil)
    (drain sampler run)))

(defparameter *drainer-tick* 0.05d0 "Seconds between the drainer's looks at the buffers.")

(defun drainer-loop (sampler)
  "Drains every drain-interval seconds, and sooner when half the sample limit waits in the
buffers."
  (loop until (sampler-stopping sampler)
        do (sleep (min *drainer-tick* (sampler-drain-interval sampler)))
           (let ((waited (- (now) (sampler-start sampler) (sampler-last-drain sampler)))
                 (waiting (- sb-sprof::trace-count
                             (- sb-sprof::trace-limit (sampler-max-samples sampler)))))
             (when (and (not (sampler-stopping sampler))
                        (or (>= waited (sampler-drain-interval sampler))
                            (>= waiting (floor (sampler-max-samples sampler) 2))))
               (drain sampler)))))

(defun start-sampler (mode &key interval max-samples all-threads stream drain-interval id)
  (let ((sampler (make-sampler :mode mode :max-samples max-samples :stream stream
                               :drain-interval (float drain-interval 1d0) :id id)))
    (let ((*error-output* (make-broadcast-stream)))
      ;; A SIGPROF still on its way when the last recording stopped left its sample in a
      ;; buffer after that recording's final drain: it is no part of this one.
      (sb-sprof:reset)
      (sb-sprof:start-profiling :mode mode
                                :sample-interval (float interval 1d0)
                                :max-samples max-samples
                                :threads (if all-threads :all (list *worker*))))
    (setf (sampler-start sampler) (now))
    (when stream
      (setf (sampler-drainer sampler)
            (sb-thread:make-thread #'drainer-loop :name "sbcl-profiler" :arguments (list sampler))))
    sampler))

(defun sampler-truncated-p (sampler)
  "Whether samples were dropped at the limit: a streaming recording only when more came between
two drains than the limit allows."
  (if (sampler-stream sampler)
      (or (sampler-limit-hit sampler) (>= sb-sprof::trace-count sb-sprof::trace-limit))
      (>= sb-sprof::trace-count (sampler-max-samples sampler))))

(defun stop-sampler (sampler)
  "Stops sampling and drains what is left.  Returns the batches not streamed, in order, and
whether the sample limit cut the recording short."
  (setf (sampler-stopping sampler) t)
  (let ((drainer (sampler-drainer sampler)))
    (when drainer
      (sb-thread:join-thread drainer :default nil)))
  (sb-sprof:stop-profiling)
  (let ((truncated (sampler-truncated-p sampler)))
    (drain sampler)
    ;; sb-sprof keeps code serial numbers while this is set (convert-raw-data clears it too)
    (setf (sb-alien:extern-alien "sb_sprof_enabled" sb-alien:int) 0)
    (values (reverse (sampler-pending sampler)) truncated)))

(defun abandon-sampler (sampler)
  "Stops sampling and the drainer, and throws the samples away: no one is left to send them to."
  (setf (sampler-stopping sampler) t)
  (let ((drainer (sampler-drainer sampler)))
    (when (and drainer (not (eq drainer sb-thread:*current-thread*)))
      (sb-thread:join-thread drainer :default nil)))
  (sb-sprof:stop-profiling)
  (sb-sprof:reset)
  (setf (sb-alien:extern-alien "sb_sprof_enabled" sb-alien:int) 0))

(defun sampler-totals (sampler)
  "The members of the stop reply that sum the batches."
  (let ((harvest (sampler-harvest sampler)))
    (list (cons "samples" (sampler-samples sampler))
          (cons "decode_seconds" (harvest-decode-seconds harvest))
          (cons "aggregate_seconds" (harvest-aggregate-seconds harvest)))))
