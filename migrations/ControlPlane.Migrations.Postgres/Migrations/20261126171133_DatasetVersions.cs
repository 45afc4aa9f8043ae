using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DatasetVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DatasetVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    SourceKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RawPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    SnapshotPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Region = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RowCount = table.Column<long>(type: "bigint", nullable: false),
                    ColumnCount = table.Column<int>(type: "integer", nullable: false),
                    TimeFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TimeTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SchemaJson = table.Column<string>(type: "text", nullable: false),
                    ProfileJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DatasetVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DatasetVersions_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DatasetVersions_EnrollmentId_Number",
                table: "DatasetVersions",
                columns: new[] { "EnrollmentId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DatasetVersions_EnrollmentId_Sha256",
                table: "DatasetVersions",
                columns: new[] { "EnrollmentId", "Sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DatasetVersions");
        }
    }
}
