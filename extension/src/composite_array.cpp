#include "composite_array.hpp"

namespace eventstore::pg {

void open_composite_array(CompositeArray* array, ArrayType* value, int field_count, const char* wrong_type_message) {
  deconstruct_array(value, ARR_ELEMTYPE(value), -1, false, TYPALIGN_DOUBLE, &array->elements, &array->element_is_null,
                    &array->count);
  array->field_count = field_count;
  array->wrong_type_message = wrong_type_message;
  array->descriptor = nullptr;
}

void read_composite_element(CompositeArray* array, int index, Datum* values, bool* is_null) {
  HeapTupleHeader header = DatumGetHeapTupleHeader(array->elements[index]);
  if (array->descriptor == nullptr) {
    array->descriptor = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(header), HeapTupleHeaderGetTypMod(header));
    if (array->descriptor->natts != array->field_count)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("%s", array->wrong_type_message)));
  }
  // A row value is a tuple without a place in any table.
  HeapTupleData tuple;
  tuple.t_len = HeapTupleHeaderGetDatumLength(header);
  ItemPointerSetInvalid(&tuple.t_self);
  tuple.t_tableOid = InvalidOid;
  tuple.t_data = header;
  heap_deform_tuple(&tuple, array->descriptor, values, is_null);
}

void close_composite_array(CompositeArray* array) {
  if (array->descriptor != nullptr) ReleaseTupleDesc(array->descriptor);
  array->descriptor = nullptr;
}

}  // namespace eventstore::pg
